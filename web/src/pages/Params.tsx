import type { PageProps } from '../nav';

// Placeholder until the page lands.
export function Params(props: PageProps) {
  return <h1>{props.lang === 'zh' ? '建設中' : 'Coming soon'}</h1>;
}
