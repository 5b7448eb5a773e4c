//! Generates the typed message keys (`Key`) from the English catalogs.
//!
//! Every message of `locales/en/hotline.ftl` and `locales/en/setup.ftl` becomes one `Key`
//! variant: the kebab-case id turned into CamelCase (`notice-del-needs-reply` →
//! `Key::NoticeDelNeedsReply`), with its id, the sorted names of the variables its English
//! text uses, and the English text as the variant's documentation. Ids are unique across both
//! files. A catalog that does not parse cleanly fails the build.

use std::collections::BTreeSet;
use std::error::Error;
use std::fmt::Write as _;
use std::path::PathBuf;

use fluent_syntax::ast;

/// The English catalogs, in the order their messages appear in `Key::ALL`.
const ENGLISH: [&str; 2] = ["locales/en/hotline.ftl", "locales/en/setup.ftl"];

/// One message of an English catalog: id, variant name, variables, English text.
type Message<'s> = (&'s str, String, BTreeSet<&'s str>, String);

fn main() -> Result<(), Box<dyn Error>> {
    for path in ENGLISH {
        println!("cargo:rerun-if-changed={path}");
    }
    println!("cargo:rerun-if-changed=build.rs");

    let mut sources = Vec::new();
    for path in ENGLISH {
        sources.push((path, std::fs::read_to_string(path)?));
    }
    let mut messages = Vec::new();
    let mut seen = BTreeSet::new();
    for (path, source) in &sources {
        let found = catalog_messages(path, source, &mut seen)?;
        if found.is_empty() {
            return Err(format!("{path} has no messages").into());
        }
        messages.extend(found);
    }

    let mut out = String::new();
    writeln!(
        out,
        "/// A message of the catalogs, generated from `{}` by build.rs.",
        ENGLISH.join("` and `")
    )?;
    writeln!(
        out,
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]"
    )?;
    writeln!(out, "pub enum Key {{")?;
    for (id, variant, _, text) in &messages {
        writeln!(out, "    /// `{id}`:")?;
        writeln!(out, "    ///")?;
        writeln!(out, "    /// ```text")?;
        for line in text.lines() {
            writeln!(out, "    /// {line}")?;
        }
        writeln!(out, "    /// ```")?;
        writeln!(out, "    {variant},")?;
    }
    writeln!(out, "}}")?;
    writeln!(out)?;
    writeln!(out, "impl Key {{")?;
    writeln!(out, "    /// Every key, in catalog order.")?;
    writeln!(out, "    pub const ALL: &'static [Key] = &[")?;
    for (_, variant, _, _) in &messages {
        writeln!(out, "        Key::{variant},")?;
    }
    writeln!(out, "    ];")?;
    writeln!(out)?;
    writeln!(
        out,
        "    /// The Fluent message id, e.g. `notice-closed-by`."
    )?;
    writeln!(out, "    pub fn id(self) -> &'static str {{")?;
    writeln!(out, "        match self {{")?;
    for (id, variant, _, _) in &messages {
        writeln!(out, "            Key::{variant} => {id:?},")?;
    }
    writeln!(out, "        }}")?;
    writeln!(out, "    }}")?;
    writeln!(out)?;
    writeln!(
        out,
        "    /// The variables the English message uses, sorted by name."
    )?;
    writeln!(
        out,
        "    pub fn variables(self) -> &'static [&'static str] {{"
    )?;
    writeln!(out, "        match self {{")?;
    for (_, variant, variables, _) in &messages {
        let list: Vec<String> = variables.iter().map(|v| format!("{v:?}")).collect();
        writeln!(out, "            Key::{variant} => &[{}],", list.join(", "))?;
    }
    writeln!(out, "        }}")?;
    writeln!(out, "    }}")?;
    writeln!(out, "}}")?;

    let dir = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(dir.join("keys.rs"), out)?;
    Ok(())
}

/// The messages of one English catalog; `seen` holds the ids met so far in every catalog.
fn catalog_messages<'s>(
    path: &str,
    source: &'s str,
    seen: &mut BTreeSet<&'s str>,
) -> Result<Vec<Message<'s>>, Box<dyn Error>> {
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(resource) => resource,
        Err((_, errors)) => {
            let list: Vec<String> = errors.iter().map(|e| format!("{e:?}")).collect();
            return Err(format!("{path} does not parse: {}", list.join("; ")).into());
        }
    };

    let mut messages = Vec::new();
    for entry in &resource.body {
        match entry {
            ast::Entry::Message(message) => {
                let id = message.id.name;
                if !seen.insert(id) {
                    return Err(format!(
                        "{path}: message {id} is defined twice (ids are unique across {})",
                        ENGLISH.join(" and ")
                    )
                    .into());
                }
                let Some(value) = &message.value else {
                    return Err(format!("{path}: message {id} has no value").into());
                };
                if !message.attributes.is_empty() {
                    return Err(format!("{path}: message {id} has attributes (unused)").into());
                }
                let mut variables = BTreeSet::new();
                collect_pattern(value, &mut variables);
                let text = english_text(message);
                messages.push((id, variant_name(path, id)?, variables, text));
            }
            ast::Entry::Junk { content } => {
                return Err(format!("{path}: junk entry: {content}").into());
            }
            ast::Entry::Term(term) => {
                return Err(format!("{path}: term -{} (terms are not used)", term.id.name).into());
            }
            ast::Entry::Comment(_)
            | ast::Entry::GroupComment(_)
            | ast::Entry::ResourceComment(_) => {}
        }
    }
    Ok(messages)
}

/// `notice-del-needs-reply` → `NoticeDelNeedsReply`.
fn variant_name(path: &str, id: &str) -> Result<String, Box<dyn Error>> {
    let mut name = String::new();
    for part in id.split('-') {
        let mut chars = part.chars();
        let Some(first) = chars.next() else {
            return Err(format!("{path}: message id {id} has an empty segment").into());
        };
        if !first.is_ascii_alphabetic() || !part.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!("{path}: message id {id} is not kebab-case ASCII").into());
        }
        name.push(first.to_ascii_uppercase());
        name.extend(chars.map(|c| c.to_ascii_lowercase()));
    }
    Ok(name)
}

/// The message's English text as written in the catalog (without the `id =` part).
fn english_text(message: &ast::Message<&str>) -> String {
    let single = ast::Resource {
        body: vec![ast::Entry::Message(ast::Message {
            id: ast::Identifier {
                name: message.id.name,
            },
            value: message.value.clone(),
            attributes: Vec::new(),
            comment: None,
        })],
    };
    let serialized = fluent_syntax::serializer::serialize(&single);
    let prefix = format!("{} =", message.id.name);
    let text = serialized.strip_prefix(&prefix).unwrap_or(&serialized);
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let body = lines.join("\n");
    let trimmed = body.trim();
    // A multi-line value is serialized on its own indented lines: drop the common indent.
    trimmed
        .lines()
        .map(|line| line.strip_prefix("    ").unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

fn collect_pattern<'s>(pattern: &ast::Pattern<&'s str>, out: &mut BTreeSet<&'s str>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            collect_expression(expression, out);
        }
    }
}

fn collect_expression<'s>(expression: &ast::Expression<&'s str>, out: &mut BTreeSet<&'s str>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            collect_inline(selector, out);
            for variant in variants {
                collect_pattern(&variant.value, out);
            }
        }
        ast::Expression::Inline(inline) => collect_inline(inline, out),
    }
}

fn collect_inline<'s>(inline: &ast::InlineExpression<&'s str>, out: &mut BTreeSet<&'s str>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name);
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => collect_call(arguments, out),
        ast::InlineExpression::TermReference {
            arguments: Some(arguments),
            ..
        } => collect_call(arguments, out),
        ast::InlineExpression::Placeable { expression } => collect_expression(expression, out),
        ast::InlineExpression::StringLiteral { .. }
        | ast::InlineExpression::NumberLiteral { .. }
        | ast::InlineExpression::MessageReference { .. }
        | ast::InlineExpression::TermReference { .. } => {}
    }
}

fn collect_call<'s>(arguments: &ast::CallArguments<&'s str>, out: &mut BTreeSet<&'s str>) {
    for positional in &arguments.positional {
        collect_inline(positional, out);
    }
    for named in &arguments.named {
        collect_inline(&named.value, out);
    }
}
