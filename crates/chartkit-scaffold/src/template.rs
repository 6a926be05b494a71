//! The template engine: minijinja with delimiters that do not clash with what the templates
//! generate (Helm templates use `{{ }}`, Rust/JS/Python code braces everywhere):
//!
//! - `<< expr >>` prints a value,
//! - `<% if x %> ... <% endif %>` is a block (trim_blocks and lstrip_blocks are on, so a
//!   block on a line of its own leaves no blank line),
//! - `<# comment #>` is a comment.
//!
//! Templates are compiled into the binary (`include_str!`); undefined variables are errors.

use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};

use crate::{Error, GeneratedFile};

/// One embedded file of a project skeleton.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Source {
    /// Path inside the generated project, `/`-separated.
    pub out: &'static str,
    /// Path of the template under `templates/` (its name in error messages).
    pub name: &'static str,
    /// The template text.
    pub text: &'static str,
    /// Copied as is, not rendered (e.g. the vendored WIT file).
    pub verbatim: bool,
    /// Written with the executable bit.
    pub executable: bool,
}

/// `tpl!("out/path", "templates/relative/path.j2")`: a template compiled into the binary.
macro_rules! tpl {
    ($out:literal, $src:literal) => {
        $crate::template::Source {
            out: $out,
            name: $src,
            text: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/", $src)),
            verbatim: false,
            executable: false,
        }
    };
}
pub(crate) use tpl;

/// The environment every scaffold template renders in.
pub(crate) fn environment() -> Result<Environment<'static>, Error> {
    let syntax = SyntaxConfig::builder()
        .block_delimiters("<%", "%>")
        .variable_delimiters("<<", ">>")
        .comment_delimiters("<#", "#>")
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .map_err(|e| Error::template("(syntax)", &e))?;
    let mut env = Environment::new();
    env.set_syntax(syntax);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    Ok(env)
}

/// Renders every source with `ctx`, in order.
pub(crate) fn render(sources: &[Source], ctx: &Value) -> Result<Vec<GeneratedFile>, Error> {
    let env = environment()?;
    sources
        .iter()
        .map(|s| {
            let contents = if s.verbatim {
                s.text.to_string()
            } else {
                env.render_str(s.text, ctx)
                    .map_err(|e| Error::template(s.name, &e))?
            };
            Ok(GeneratedFile {
                path: s.out.to_string(),
                contents,
                executable: s.executable,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    #[test]
    fn delimiters_leave_helm_and_code_alone() {
        let env = environment().unwrap();
        let src = "name: << name >>\n<% if ha %>\nreplicas: {{ .Values.replicas }}\n<% endif %>\nfn f() { {} }\n<# gone #>\nend\n";
        let out = env
            .render_str(src, context! { name => "etcd", ha => true })
            .unwrap();
        assert_eq!(
            out,
            "name: etcd\nreplicas: {{ .Values.replicas }}\nfn f() { {} }\nend\n"
        );
    }

    #[test]
    fn undefined_variables_are_errors() {
        let env = environment().unwrap();
        let e = env.render_str("<< nope >>", context! {}).unwrap_err();
        let e = Error::template("x.j2", &e);
        assert!(e.to_string().contains("x.j2"), "{e}");
    }
}
