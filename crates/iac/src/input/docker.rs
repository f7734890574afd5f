//! Dockerfiles (and Containerfiles): instructions with their lines, grouped into build stages.
//!
//! Written by hand: the format is line-based (continuations with the escape character, comment
//! lines inside continuations, `# escape=` and `# syntax=` parser directives, heredocs after
//! `<<EOF`), and what the checks need is each instruction's keyword, flags, arguments and lines.
//! BuildKit's own parser is Go; no maintained Rust crate covers heredocs.

/// One instruction, its arguments joined as the builder would see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// Upper-cased keyword: `RUN`, `FROM`, …
    pub keyword: String,
    /// `--name=value` flags before the arguments (`--from=build`, `--chmod=755`).
    pub flags: Vec<(String, String)>,
    /// The arguments after the flags, continuations joined with a space.
    pub args: String,
    /// Bodies of heredocs the instruction opened, in order.
    pub heredocs: Vec<String>,
    pub line: u32,
    pub end_line: u32,
}

impl Instruction {
    /// The arguments as the shell would get them: the exec form's JSON array joined by spaces,
    /// plus heredoc bodies.
    pub fn command(&self) -> String {
        let mut s = match self.exec_form() {
            Some(parts) => parts.join(" "),
            None => self.args.clone(),
        };
        for h in &self.heredocs {
            s.push('\n');
            s.push_str(h);
        }
        s
    }

    /// The JSON exec form (`["a", "b"]`), if the arguments are one.
    pub fn exec_form(&self) -> Option<Vec<String>> {
        let t = self.args.trim();
        if !t.starts_with('[') {
            return None;
        }
        serde_json::from_str::<Vec<String>>(t).ok()
    }

    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A build stage: its `FROM` and what follows up to the next `FROM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// The base image as written (`python:3.12-slim`, `build`, `scratch`).
    pub image: String,
    /// `AS name`, if given.
    pub alias: Option<String>,
    pub index: usize,
    pub line: u32,
    /// The stage's instructions, `FROM` first.
    pub instructions: Vec<Instruction>,
}

impl Stage {
    /// The stage's name in findings: its alias, else `stage[N]`.
    pub fn address(&self) -> String {
        match &self.alias {
            Some(a) => format!("stage:{a}"),
            None => format!("stage[{}]", self.index),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dockerfile {
    /// Instructions before the first `FROM` (`ARG`s).
    pub preamble: Vec<Instruction>,
    pub stages: Vec<Stage>,
}

impl Dockerfile {
    pub fn instructions(&self) -> impl Iterator<Item = (&Stage, &Instruction)> {
        self.stages
            .iter()
            .flat_map(|s| s.instructions.iter().map(move |i| (s, i)))
    }
}

const INSTRUCTIONS: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// A problem with the file's syntax, at a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerWarning {
    pub line: u32,
    pub message: String,
}

/// Parses a Dockerfile. Never fails: lines it cannot read become warnings.
pub fn parse(text: &str) -> (Dockerfile, Vec<DockerWarning>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut escape = '\\';
    let mut warnings = Vec::new();
    let mut instructions = Vec::new();
    let mut i = 0;
    // Parser directives: comment lines at the very top.
    while i < lines.len() {
        let t = lines[i].trim();
        let Some(d) = t.strip_prefix('#') else { break };
        let Some((k, v)) = d.split_once('=') else {
            break;
        };
        if k.trim().eq_ignore_ascii_case("escape") && v.trim() == "`" {
            escape = '`';
        }
        i += 1;
    }
    while i < lines.len() {
        let start = i;
        let first = lines[i].trim_start();
        if first.is_empty() || first.starts_with('#') {
            i += 1;
            continue;
        }
        // Join continuation lines; comment and empty lines inside a continuation are skipped.
        let mut joined = String::new();
        let mut cur = first.trim_end();
        loop {
            match cur.strip_suffix(escape) {
                Some(rest) => {
                    joined.push_str(rest);
                    joined.push(' ');
                    i += 1;
                    while i < lines.len() {
                        let t = lines[i].trim_start();
                        if t.starts_with('#') || t.trim().is_empty() {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    if i >= lines.len() {
                        break;
                    }
                    cur = lines[i].trim();
                }
                None => {
                    joined.push_str(cur);
                    break;
                }
            }
        }
        let line = (start + 1) as u32;
        let mut end = (i.min(lines.len().saturating_sub(1)) + 1) as u32;
        i += 1;
        let (keyword, rest) = match joined.find(char::is_whitespace) {
            Some(p) => (&joined[..p], joined[p..].trim()),
            None => (joined.as_str(), ""),
        };
        if !INSTRUCTIONS.contains(&keyword.to_ascii_uppercase().as_str()) {
            warnings.push(DockerWarning {
                line,
                message: format!("not a Dockerfile instruction: `{}`", clip(keyword)),
            });
            continue;
        }
        let (flags, args) = split_flags(rest);
        // Heredocs: `<<EOF`, `<<-EOF`, `<<"EOF"`; bodies follow the instruction line.
        let mut heredocs = Vec::new();
        for word in args.split_whitespace() {
            let Some(tag) = word.strip_prefix("<<") else {
                continue;
            };
            let strip_tabs = tag.starts_with('-');
            let tag = tag.trim_start_matches('-').trim_matches(['"', '\'']);
            let tag: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if tag.is_empty() {
                continue;
            }
            let mut body = String::new();
            let mut closed = false;
            while i < lines.len() {
                let l = lines[i];
                i += 1;
                let cmp = if strip_tabs {
                    l.trim_start_matches('\t')
                } else {
                    l
                };
                if cmp.trim_end() == tag {
                    closed = true;
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            end = i as u32;
            if !closed {
                warnings.push(DockerWarning {
                    line,
                    message: format!("heredoc `{tag}` is not closed"),
                });
            }
            heredocs.push(body);
        }
        instructions.push(Instruction {
            keyword: keyword.to_ascii_uppercase(),
            flags,
            args: args.to_string(),
            heredocs,
            line,
            end_line: end.max(line),
        });
    }
    let mut file = Dockerfile::default();
    for ins in instructions {
        if ins.keyword == "FROM" {
            let mut words = ins.args.split_whitespace();
            let image = words.next().unwrap_or_default().to_string();
            let alias = match (words.next(), words.next()) {
                (Some(a), Some(name)) if a.eq_ignore_ascii_case("as") => Some(name.to_string()),
                _ => None,
            };
            file.stages.push(Stage {
                image,
                alias,
                index: file.stages.len(),
                line: ins.line,
                instructions: vec![ins],
            });
        } else if let Some(stage) = file.stages.last_mut() {
            stage.instructions.push(ins);
        } else {
            if ins.keyword != "ARG" {
                warnings.push(DockerWarning {
                    line: ins.line,
                    message: format!("`{}` before the first FROM", ins.keyword),
                });
            }
            file.preamble.push(ins);
        }
    }
    (file, warnings)
}

fn clip(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Splits leading `--flag=value` words off the arguments.
fn split_flags(rest: &str) -> (Vec<(String, String)>, &str) {
    let mut flags = Vec::new();
    let mut r = rest;
    while let Some(f) = r.strip_prefix("--") {
        let end = f.find(char::is_whitespace).unwrap_or(f.len());
        let word = &f[..end];
        let (k, v) = word.split_once('=').unwrap_or((word, ""));
        flags.push((k.to_string(), v.to_string()));
        r = f[end..].trim_start();
    }
    (flags, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_continuations_and_heredocs() {
        let text = "# syntax=docker/dockerfile:1\nARG V=1\nFROM golang:1.22 AS build\nRUN apt-get update \\\n  # a comment\n  && apt-get install -y curl\nCOPY --from=build --chmod=755 /a /b\nRUN <<EOF\necho hi\nEOF\nfrom scratch\nCMD [\"/app\", \"-x\"]\n";
        let (df, warnings) = parse(text);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(df.preamble.len(), 1);
        assert_eq!(df.stages.len(), 2);
        let s = &df.stages[0];
        assert_eq!(
            (s.image.as_str(), s.alias.as_deref()),
            ("golang:1.22", Some("build"))
        );
        let run = &s.instructions[1];
        assert_eq!((run.line, run.end_line), (4, 6));
        assert_eq!(run.args, "apt-get update  && apt-get install -y curl");
        let copy = &s.instructions[2];
        assert_eq!(copy.flag("from"), Some("build"));
        assert_eq!(copy.args, "/a /b");
        let heredoc = &s.instructions[3];
        assert_eq!((heredoc.line, heredoc.end_line), (8, 10));
        assert_eq!(heredoc.heredocs, ["echo hi\n"]);
        let cmd = &df.stages[1].instructions[1];
        assert_eq!(cmd.line, 12);
        assert_eq!(cmd.exec_form().unwrap(), ["/app", "-x"]);
        assert_eq!(df.stages[1].address(), "stage[1]");
    }

    #[test]
    fn odd_lines_are_warnings() {
        let (df, w) = parse("FROM a\n{{ .Values.x }}\nRUN <<EOF\nnever closed\n");
        assert_eq!(df.stages.len(), 1);
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].line, 2);
    }
}
