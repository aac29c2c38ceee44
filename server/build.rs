//! A release build carries the built web client (`app/embedded.rs`, from `cargo xtask web`):
//! it is built again when the client changes. A debug build reads the client's directory at
//! run time instead, so it is not rebuilt for it.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("PROFILE").as_deref() == Ok("release") {
        println!("cargo:rerun-if-changed=../web-client/dist");
    }
}
