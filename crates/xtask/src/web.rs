//! Web app build, serve and browser tests. (Filled by the web-app work.)

pub fn app(_rest: &[String]) -> Result<(), String> {
    crate::cmd::sample(&[])
}

pub fn dist(_rest: &[String]) -> Result<(), String> {
    Err("the web app is not built yet".into())
}

pub fn serve(_rest: &[String]) -> Result<(), String> {
    Err("the web app is not built yet".into())
}

pub fn browser_tests() -> Result<(), String> {
    Ok(())
}
