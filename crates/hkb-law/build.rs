// Rebuild when the embedded parameter tree changes (include_dir does not track it on stable).
fn main() {
    println!("cargo:rerun-if-changed=../../params");
}
