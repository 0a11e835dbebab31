import { describe, expect, it } from 'vitest';
import { bn, hkd, num, pct, prob } from './format';
import { decodeState, encodeState } from './state';
import { pick } from './i18n';

describe('numbers as Hong Kong readers expect them', () => {
  it('groups thousands and signs money', () => {
    expect(hkd(8200)).toBe('HK$8,200');
    expect(hkd(-1500)).toBe('−HK$1,500');
    expect(num(1234567.891, 2)).toBe('1,234,567.89');
    expect(hkd(null)).toBe('—');
    expect(num(Number.NaN)).toBe('—');
  });
  it('signs changes in HK$bn and never shows −0.0', () => {
    expect(bn(1.25, 2, true)).toBe('+1.25');
    expect(bn(-3.4, 1)).toBe('−3.4');
    expect(bn(-0.0001, 1, true)).toBe('0.0');
  });
  it('writes rates and probabilities', () => {
    expect(pct(0.065)).toBe('6.5%');
    expect(prob(0.001)).toBe('<1%');
    expect(prob(0.999)).toBe('>99%');
    expect(prob(0.5)).toBe('50%');
  });
});

describe('state in the URL', () => {
  it('round-trips any state, Chinese text included', () => {
    const st = { form: { income: 700000, married: true }, name: '我的家庭', list: [1, 2, 3] };
    const s = encodeState(st);
    expect(s).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeState(s)).toEqual(st);
  });
  it('reads nothing from a broken link', () => {
    expect(decodeState('%%%')).toBeNull();
    expect(decodeState('')).toBeNull();
  });
});

describe('bilingual texts', () => {
  it('picks the language and falls back to the other side', () => {
    expect(pick({ en: 'Salaries tax', zh: '薪俸稅' }, 'zh')).toBe('薪俸稅');
    expect(pick({ en: 'Salaries tax', zh: '' }, 'zh')).toBe('Salaries tax');
    expect(pick(null, 'en')).toBe('');
  });
});
