//! `alibabacloud-emulator`: serves every operation of the specs on 127.0.0.1.

mod cli;

use std::process::ExitCode;

use alibabacloud_emulator::{Emulator, TestKey};

#[tokio::main]
async fn main() -> ExitCode {
    let command = match cli::parse(std::env::args().skip(1), |name| std::env::var(name).ok()) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("alibabacloud-emulator: {message}");
            return ExitCode::from(2);
        }
    };
    let options = match command {
        cli::Command::Help => {
            print!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        cli::Command::Serve(options) => options,
    };

    let mut builder = Emulator::builder().port(options.port);
    if let Some(specs) = options.specs {
        builder = builder.specs(specs);
    }
    if let Some(catalog) = options.catalog {
        builder = builder.catalog(catalog);
    }
    for name in options.only {
        builder = builder.only(name);
    }
    if let (Some(id), Some(secret)) = (options.access_key_id, options.access_key_secret) {
        let mut key = TestKey::new(id, secret);
        if let Some(token) = options.security_token {
            key = key.with_security_token(token);
        }
        builder = builder.key(key);
    }
    let emulator = match builder.start().await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("alibabacloud-emulator: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Scripts read this first line to learn the port.
    println!("alibabacloud-emulator listening on {}", emulator.base_url());
    eprintln!(
        "serving {} operations; stop with Ctrl-C",
        emulator.operation_count()
    );
    for skipped in emulator.skipped_products() {
        eprintln!("not served: {skipped}");
    }
    let synthesized = emulator.synthesized_answers();
    if !synthesized.is_empty() {
        eprintln!(
            "{} operation(s) answer with a response synthesized from the schema (their sample does not fit), e.g. {}",
            synthesized.len(),
            synthesized[0]
        );
    }
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("alibabacloud-emulator: cannot wait for Ctrl-C: {error}");
        return ExitCode::FAILURE;
    }
    emulator.shutdown().await;
    ExitCode::SUCCESS
}
