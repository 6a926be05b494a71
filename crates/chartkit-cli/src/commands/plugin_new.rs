//! `chartkit plugin new NAME --lang rust|python|js [--dir DIR]`: scaffolds an engine plugin
//! project (see chartkit-scaffold and docs/plugin-authors.md).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use chartkit_scaffold::{Lang, create_plugin};
use clap::{Args, ValueEnum};

/// The languages `plugin new` scaffolds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Rust (wasm32-wasip2 + wit-bindgen).
    Rust,
    /// Python (componentize-py).
    Python,
    /// JavaScript (componentize-qjs, QuickJS).
    Js,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Rust => Lang::Rust,
            LangArg::Python => Lang::Python,
            LangArg::Js => Lang::Js,
        }
    }
}

/// `chartkit plugin new NAME`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Plugin name: `[a-z](-?[a-z0-9])*`, at most 63 characters (also the engine's name).
    pub name: String,
    /// Source language of the plugin.
    #[arg(long, value_enum)]
    pub lang: LangArg,
    /// Directory to create (absent or empty; default: ./NAME).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Runs `chartkit plugin new`.
pub fn run(a: NewArgs) -> Result<ExitCode> {
    let lang = Lang::from(a.lang);
    let dir = a.dir.unwrap_or_else(|| PathBuf::from(&a.name));
    let written = create_plugin(&dir, &a.name, lang)?;
    for path in &written {
        println!("{}", path.display());
    }
    let shown = dir.display();
    let test = match lang {
        Lang::Rust => format!("(cd {shown} && cargo test --lib)"),
        Lang::Python => format!("(cd {shown} && python3 -m unittest discover -s tests)"),
        Lang::Js => format!("(cd {shown} && node --test test/)"),
    };
    eprintln!(
        "created the {lang} plugin {name:?} in {shown} ({n} files). Next:\n  {test}\n  chartkit plugin build {shown}\n  chartkit plugin run {shown} --call seed-list --topology {shown}/testdata/topology.json",
        name = a.name,
        n = written.len(),
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        args: NewArgs,
    }

    #[test]
    fn parses_languages_and_dir() {
        let cli =
            Cli::try_parse_from(["new", "etcd", "--lang", "js", "--dir", "plugins/etcd"]).unwrap();
        assert_eq!(Lang::from(cli.args.lang), Lang::Js);
        assert_eq!(cli.args.dir, Some(PathBuf::from("plugins/etcd")));
        assert!(
            Cli::try_parse_from(["new", "etcd"]).is_err(),
            "--lang is required"
        );
        assert!(Cli::try_parse_from(["new", "etcd", "--lang", "go"]).is_err());
    }
}
