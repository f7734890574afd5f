//! Dockerfile checks. A finding's address is the stage (`stage:build`, `stage[0]`), its
//! attribute the instruction keyword and, for instructions that may repeat, its normalized text.

use std::sync::LazyLock;

use regex::Regex;

use super::{disables_tls, image_tag_problem, literal_secret_value, pipes_to_shell, secret_name};
use super::{Ctx, Hit};
use crate::input::docker::{Dockerfile, Instruction, Stage};

fn file<'a>(ctx: &Ctx<'a>) -> Option<&'a Dockerfile> {
    ctx.file.docker.as_ref()
}

fn attr(i: &Instruction) -> String {
    let text = i.command();
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{} {}", i.keyword, collapsed)
}

fn runs<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Stage, &'a Instruction)> {
    file(ctx)
        .map(|f| {
            f.instructions()
                .filter(|(_, i)| i.keyword == "RUN")
                .collect()
        })
        .unwrap_or_default()
}

/// The final stage and, through `FROM <earlier stage>`, the stages it builds on, last first.
fn final_chain(df: &Dockerfile) -> Vec<&Stage> {
    let mut chain = Vec::new();
    let mut cur = df.stages.last();
    while let Some(s) = cur {
        if chain.len() > df.stages.len() {
            break;
        }
        chain.push(s);
        cur = df.stages[..s.index].iter().rev().find(|p| {
            p.alias
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case(&s.image))
        });
    }
    chain
}

pub fn root_user(ctx: &Ctx<'_>) -> Vec<Hit> {
    let Some(df) = file(ctx) else { return vec![] };
    let chain = final_chain(df);
    let Some(last) = chain.first() else {
        return vec![];
    };
    for s in &chain {
        if let Some(u) = s.instructions.iter().rev().find(|i| i.keyword == "USER") {
            let user = u.args.split(':').next().unwrap_or("").trim();
            if user == "root" || user == "0" {
                return vec![Hit::new(u.line, last.address(), "USER")
                    .detail(format!("the final stage switches to `{user}`"))];
            }
            return vec![];
        }
    }
    vec![Hit::new(last.line, last.address(), "USER")
        .detail("the final stage sets no USER, so it runs as root")]
}

pub fn image_tag(ctx: &Ctx<'_>) -> Vec<Hit> {
    let Some(df) = file(ctx) else { return vec![] };
    let mut out = Vec::new();
    for s in &df.stages {
        let earlier_alias = df.stages[..s.index].iter().any(|p| {
            p.alias
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case(&s.image))
        });
        if earlier_alias {
            continue;
        }
        if let Some(p) = image_tag_problem(&s.image) {
            out.push(
                Hit::new(s.line, s.address(), format!("FROM {}", s.image))
                    .detail(format!("base image `{}` {p}", s.image)),
            );
        }
    }
    out
}

fn is_url(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://") || l.starts_with("git@")
}

/// The sources of an ADD or COPY (every argument but the last).
fn sources(i: &Instruction) -> Vec<String> {
    let parts: Vec<String> = match i.exec_form() {
        Some(p) => p,
        None => i.args.split_whitespace().map(str::to_string).collect(),
    };
    let n = parts.len().saturating_sub(1);
    parts.into_iter().take(n).collect()
}

pub fn add_url(ctx: &Ctx<'_>) -> Vec<Hit> {
    let Some(df) = file(ctx) else { return vec![] };
    df.instructions()
        .filter(|(_, i)| i.keyword == "ADD" && sources(i).iter().any(|s| is_url(s)))
        .filter(|(_, i)| i.flag("checksum").is_none())
        .map(|(s, i)| Hit::new(i.line, s.address(), attr(i)))
        .collect()
}

pub fn add_local(ctx: &Ctx<'_>) -> Vec<Hit> {
    let Some(df) = file(ctx) else { return vec![] };
    const ARCHIVES: [&str; 7] = [
        ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2",
    ];
    df.instructions()
        .filter(|(_, i)| i.keyword == "ADD" && i.heredocs.is_empty())
        .filter(|(_, i)| {
            let src = sources(i);
            !src.is_empty()
                && src.iter().all(|s| {
                    let l = s.to_ascii_lowercase();
                    !is_url(s) && !ARCHIVES.iter().any(|a| l.ends_with(a))
                })
        })
        .map(|(s, i)| Hit::new(i.line, s.address(), attr(i)))
        .collect()
}

pub fn pipe_to_shell(ctx: &Ctx<'_>) -> Vec<Hit> {
    runs(ctx)
        .into_iter()
        .filter(|(_, i)| pipes_to_shell(&i.command()))
        .map(|(s, i)| Hit::new(i.line, s.address(), attr(i)))
        .collect()
}

static SUDO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(^|[\s;&|(])sudo\s").expect("a valid regex"));

pub fn sudo(ctx: &Ctx<'_>) -> Vec<Hit> {
    runs(ctx)
        .into_iter()
        .filter(|(_, i)| SUDO.is_match(&i.command()))
        .map(|(s, i)| Hit::new(i.line, s.address(), attr(i)))
        .collect()
}

pub fn healthcheck(ctx: &Ctx<'_>) -> Vec<Hit> {
    let Some(df) = file(ctx) else { return vec![] };
    let chain = final_chain(df);
    let Some(last) = chain.first() else {
        return vec![];
    };
    for s in &chain {
        if let Some(h) = s
            .instructions
            .iter()
            .rev()
            .find(|i| i.keyword == "HEALTHCHECK")
        {
            if h.args.trim().eq_ignore_ascii_case("none") {
                return vec![Hit::new(h.line, last.address(), "HEALTHCHECK")
                    .detail("HEALTHCHECK NONE turns the health check off")];
            }
            return vec![];
        }
    }
    vec![Hit::new(last.line, last.address(), "HEALTHCHECK")
        .detail("the final stage has no HEALTHCHECK")]
}

/// `KEY=value` pairs of an ENV or ARG (also the legacy `ENV KEY value` form).
fn assignments(i: &Instruction) -> Vec<(String, Option<String>)> {
    let args = i.args.trim();
    if i.keyword == "ENV" && !args.split_whitespace().next().unwrap_or("").contains('=') {
        let mut parts = args.splitn(2, char::is_whitespace);
        let k = parts.next().unwrap_or("").to_string();
        return vec![(k, parts.next().map(|v| v.trim().to_string()))];
    }
    // Values may be quoted and contain spaces.
    let mut out = Vec::new();
    let mut chars = args.chars().peekable();
    while chars.peek().is_some() {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        if key.is_empty() {
            break;
        }
        if chars.peek() != Some(&'=') {
            out.push((key, None));
            continue;
        }
        chars.next();
        let mut value = String::new();
        let mut quote = None;
        while let Some(&c) = chars.peek() {
            match quote {
                Some(q) if c == q => quote = None,
                None if c == '"' || c == '\'' => quote = Some(c),
                None if c.is_whitespace() => break,
                _ => value.push(c),
            }
            chars.next();
        }
        out.push((key, Some(value)));
    }
    out
}

pub fn secret_env(ctx: &Ctx<'_>) -> Vec<Hit> {
    let Some(df) = file(ctx) else { return vec![] };
    let preamble = df.preamble.iter().map(|i| ("global".to_string(), i));
    let staged = df.instructions().map(|(s, i)| (s.address(), i));
    let mut out = Vec::new();
    for (addr, i) in preamble.chain(staged) {
        if i.keyword != "ENV" && i.keyword != "ARG" {
            continue;
        }
        for (k, v) in assignments(i) {
            if !secret_name(&k) {
                continue;
            }
            let flagged = match (&*i.keyword, &v) {
                // A build argument is kept in the image history whether or not it has a default.
                ("ARG", _) => true,
                (_, Some(v)) => literal_secret_value(v),
                _ => false,
            };
            if flagged {
                out.push(
                    Hit::new(i.line, addr.clone(), format!("{} {k}", i.keyword))
                        .detail(format!("{} `{k}`", i.keyword)),
                );
            }
        }
    }
    out
}

pub fn tls_disabled(ctx: &Ctx<'_>) -> Vec<Hit> {
    let Some(df) = file(ctx) else { return vec![] };
    df.instructions()
        .filter(|(_, i)| matches!(&*i.keyword, "RUN" | "ENV" | "ARG"))
        .filter(|(_, i)| disables_tls(&i.command()))
        .map(|(s, i)| Hit::new(i.line, s.address(), attr(i)))
        .collect()
}

pub fn expose_ssh(ctx: &Ctx<'_>) -> Vec<Hit> {
    let Some(df) = file(ctx) else { return vec![] };
    df.instructions()
        .filter(|(_, i)| i.keyword == "EXPOSE")
        .filter(|(_, i)| {
            i.args
                .split_whitespace()
                .any(|p| p.split('/').next() == Some("22"))
        })
        .map(|(s, i)| Hit::new(i.line, s.address(), "EXPOSE 22"))
        .collect()
}

static CHMOD_777: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bchmod\s+(-\S+\s+)*(0?777|a\+rwx|o\+w\S*|\S*,o\+w\S*)\s").expect("a valid regex")
});

pub fn chmod_777(ctx: &Ctx<'_>) -> Vec<Hit> {
    runs(ctx)
        .into_iter()
        .filter(|(_, i)| CHMOD_777.is_match(&format!("{} ", i.command())))
        .map(|(s, i)| Hit::new(i.line, s.address(), attr(i)))
        .collect()
}

pub fn update_alone(ctx: &Ctx<'_>) -> Vec<Hit> {
    runs(ctx)
        .into_iter()
        .filter(|(_, i)| {
            let c = i.command();
            let update = c.contains("apt-get update")
                || c.contains("apt update")
                || c.contains("apk update")
                || c.contains("yum makecache");
            let install = c.contains(" install") || c.contains(" add ") || c.contains("upgrade");
            update && !install
        })
        .map(|(s, i)| Hit::new(i.line, s.address(), attr(i)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_and_arg_assignments() {
        let (df, _) = crate::input::docker::parse(
            "FROM a\nENV A=1 B=\"two words\" C\nENV LEGACY value with spaces\nARG X\n",
        );
        let ins = &df.stages[0].instructions;
        assert_eq!(
            assignments(&ins[1]),
            [
                ("A".into(), Some("1".into())),
                ("B".into(), Some("two words".into())),
                ("C".into(), None)
            ]
        );
        assert_eq!(
            assignments(&ins[2]),
            [("LEGACY".into(), Some("value with spaces".into()))]
        );
        assert_eq!(assignments(&ins[3]), [("X".into(), None)]);
    }
}
