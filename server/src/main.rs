use clap::Parser;
use gridwork_server::tools::cli::{Cli, run};

// Requests allocate many small short-lived values (rows, JSON); mimalloc serves them with
// far less contention and fragmentation than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    gridwork_server::app::telemetry::init(
        std::env::var("GRIDWORK_LOG_FORMAT").as_deref() == Ok("json"),
    );
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
