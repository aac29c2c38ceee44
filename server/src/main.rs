use clap::Parser;
use gridwork_server::cli::{Cli, run};

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    gridwork_server::telemetry::init(std::env::var("GRIDWORK_LOG_FORMAT").as_deref() == Ok("json"));
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
