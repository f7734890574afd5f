//! Maven `pom.xml`: the declared dependencies (including those of profiles and those inherited
//! from parent POMs found on disk) and the `dependencyManagement` entries.
//!
//! A POM is not a lockfile: versions come from the dependency itself or from
//! `dependencyManagement`, after `${property}` interpolation over `<properties>` and the
//! project's coordinates, as Maven's effective POM has them (inherit first, then interpolate,
//! so a parent's `${project.version}` is the child's). Parents are read from `<relativePath>`
//! (default `../pom.xml`) when that file is the named parent; nothing is fetched. What still
//! has no exact version (ranges, unresolved properties, versions from an unavailable parent or
//! imported BOM) is a warning. Scopes `test` and `provided` are dev.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::lockfile::text::LineIndex;
use crate::lockfile::Format;
use crate::{Ecosystem, Manifest, Package, ParseError, SourceKind};

/// Longest parent chain followed; real hierarchies are a handful deep.
const MAX_PARENTS: usize = 16;
/// Nesting of `${…}` inside property values; deeper is a cycle.
const MAX_INTERPOLATION_DEPTH: usize = 16;

pub fn parse(path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let pom = Pom::read(text)?;
    let mut manifest = Manifest::new(Format::PomXml);
    let parents = load_parents(path, &pom, &mut manifest);

    let missing_parent = parents
        .missing
        .as_ref()
        .map(|p| format!(" (parent {p} is not available locally)"));
    let props = properties(&pom, &parents.poms);
    let mut managed: HashMap<DepKey, (&Dep, &LineIndex)> = HashMap::new();
    // Nearest declaration wins: the project's own, then each parent's, in order.
    for pom_ref in std::iter::once(&pom).chain(parents.poms.iter().map(|(p, _)| p)) {
        for dep in pom_ref.managed.iter().filter(|d| d.active) {
            let key = dep.key(&props);
            managed.entry(key).or_insert((dep, &pom_ref.lines));
        }
    }

    let mut out = Emitter {
        manifest: &mut manifest,
        props: &props,
        managed: &managed,
        missing_parent: missing_parent.as_deref().unwrap_or(""),
        seen: HashSet::new(),
        declared: HashSet::new(),
    };
    for dep in &pom.deps {
        out.dependency(dep, &pom.lines, None);
    }
    for dep in &pom.managed {
        out.managed_only(dep, &pom.lines);
    }
    for (parent, file) in &parents.poms {
        for dep in &parent.deps {
            out.dependency(dep, &parent.lines, Some(file));
        }
    }
    Ok(manifest)
}

struct Emitter<'a, 'm> {
    manifest: &'m mut Manifest,
    props: &'a HashMap<String, String>,
    managed: &'a HashMap<DepKey, (&'a Dep, &'a LineIndex)>,
    missing_parent: &'a str,
    /// (name, version) already reported.
    seen: HashSet<(String, String)>,
    /// Keys of declared dependencies: a management entry for them is not another package.
    declared: HashSet<DepKey>,
}

impl Emitter<'_, '_> {
    fn warn(&mut self, file: Option<&Path>, line: u32, message: String) {
        let message = match file {
            Some(f) => format!("{}: {message}", f.display()),
            None => message,
        };
        self.manifest.warn(Some(line), message);
    }

    fn dependency(&mut self, dep: &Dep, lines: &LineIndex, file: Option<&PathBuf>) {
        let line = lines.line(dep.offset);
        let file_ref = file.map(PathBuf::as_path);
        let Some((name, key)) = self.coordinates(dep, line, file_ref) else {
            return;
        };
        if file.is_some() && self.declared.contains(&key) {
            return; // the child redeclares what it inherits
        }
        self.declared.insert(key.clone());
        let managed = self.managed.get(&key).copied();
        let (raw_version, version_line) = match (&dep.version, managed) {
            (Some(v), _) => (v.as_str(), line),
            (None, Some((m, m_lines))) if m.version.is_some() => (
                m.version.as_deref().unwrap_or_default(),
                m_lines.line(m.offset),
            ),
            _ => {
                let why = if self.missing_parent.is_empty() {
                    ""
                } else {
                    self.missing_parent
                };
                self.warn(
                    file_ref,
                    line,
                    format!("{name}: no version declared or managed{why}, not checked"),
                );
                return;
            }
        };
        let Some(version) = self.version(&name, raw_version, version_line, file_ref) else {
            return;
        };
        let scope = dep
            .scope
            .as_deref()
            .or(managed.and_then(|(m, _)| m.scope.as_deref()));
        let scope = scope.map(|s| self.interpolate(s).unwrap_or_default());
        let mut package = Package::new(Ecosystem::Maven, name, version);
        package.line = Some(line);
        package.direct = Some(true);
        package.dev = Some(matches!(scope.as_deref(), Some("test" | "provided")));
        if scope.as_deref() == Some("system") {
            package.source = SourceKind::Path;
        }
        package.file = file.cloned();
        self.push(package);
    }

    /// A `dependencyManagement` entry of the project that no dependency uses: it pins the
    /// version of a transitive dependency, if the project has that dependency at all.
    fn managed_only(&mut self, dep: &Dep, lines: &LineIndex) {
        let line = lines.line(dep.offset);
        let Some((name, key)) = self.coordinates(dep, line, None) else {
            return;
        };
        if self.declared.contains(&key) {
            return;
        }
        let Some(raw) = dep.version.as_deref() else {
            self.warn(
                None,
                line,
                format!("{name}: managed dependency without a version, not checked"),
            );
            return;
        };
        let Some(version) = self.version(&name, raw, line, None) else {
            return;
        };
        let scope = dep
            .scope
            .as_deref()
            .map(|s| self.interpolate(s).unwrap_or_default());
        let mut package = Package::new(Ecosystem::Maven, name, version);
        package.line = Some(line);
        package.direct = Some(false);
        package.dev = match scope.as_deref() {
            Some("test" | "provided") => Some(true),
            Some("compile" | "runtime" | "system") => Some(false),
            _ => None,
        };
        self.push(package);
    }

    fn push(&mut self, package: Package) {
        if self
            .seen
            .insert((package.name.clone(), package.version.clone()))
        {
            self.manifest.packages.push(package);
        }
    }

    /// `groupId:artifactId` and the management key, interpolated.
    fn coordinates(
        &mut self,
        dep: &Dep,
        line: u32,
        file: Option<&Path>,
    ) -> Option<(String, DepKey)> {
        let group = dep.group.as_deref().map(|g| self.interpolate(g));
        let artifact = dep.artifact.as_deref().map(|a| self.interpolate(a));
        match (group, artifact) {
            (Some(Ok(g)), Some(Ok(a))) if !g.is_empty() && !a.is_empty() => {
                let key = dep.key(self.props);
                Some((format!("{g}:{a}"), key))
            }
            (Some(Err(p)), _) | (_, Some(Err(p))) => {
                self.warn(
                    file,
                    line,
                    format!(
                        "dependency coordinates use ${{{p}}}, which is not defined; not checked"
                    ),
                );
                None
            }
            _ => {
                self.warn(
                    file,
                    line,
                    "dependency without groupId or artifactId, not checked".to_string(),
                );
                None
            }
        }
    }

    /// The exact version, or a warning saying why there is none.
    fn version(&mut self, name: &str, raw: &str, line: u32, file: Option<&Path>) -> Option<String> {
        let version = match self.interpolate(raw) {
            Ok(v) => v,
            Err(p) => {
                let why = if self.missing_parent.is_empty() {
                    ""
                } else {
                    self.missing_parent
                };
                self.warn(file, line, format!("{name}: version {raw} uses ${{{p}}}, which is not defined{why}; not checked"));
                return None;
            }
        };
        if version.starts_with(['[', '(']) {
            // `[1.0]` is Maven's "exactly 1.0"; every other range is resolved against the repository.
            let exact = version
                .strip_prefix('[')
                .and_then(|v| v.strip_suffix(']'))
                .map(str::trim)
                .filter(|v| !v.is_empty() && !v.contains(','));
            return match exact {
                Some(v) => Some(v.to_string()),
                None => {
                    self.warn(
                        file,
                        line,
                        format!("{name}: version range {version}, not checked"),
                    );
                    None
                }
            };
        }
        if version.is_empty() || version.contains(char::is_whitespace) || version.contains(',') {
            self.warn(
                file,
                line,
                format!("{name}: malformed version {version:?}, not checked"),
            );
            return None;
        }
        Some(version)
    }

    fn interpolate(&self, s: &str) -> Result<String, String> {
        interpolate(s, self.props, 0)
    }
}

/// Replaces every `${name}`; the error is the first name that has no value.
fn interpolate(s: &str, props: &HashMap<String, String>, depth: usize) -> Result<String, String> {
    if !s.contains("${") {
        return Ok(s.trim().to_string());
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start + 2..).unwrap_or_default();
        let Some(end) = after.find('}') else {
            return Err(after.to_string());
        };
        let name = after.get(..end).unwrap_or_default().trim();
        let value = props.get(name).ok_or_else(|| name.to_string())?;
        if depth >= MAX_INTERPOLATION_DEPTH {
            return Err(name.to_string());
        }
        out.push_str(&interpolate(value, props, depth + 1)?);
        rest = after.get(end + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    Ok(out.trim().to_string())
}

/// Properties as the effective POM sees them: ancestors first, the project last (so it wins),
/// then the project's coordinates, inherited from the parent when not declared.
fn properties(pom: &Pom, parents: &[(Pom, PathBuf)]) -> HashMap<String, String> {
    let mut props = HashMap::new();
    for model in parents
        .iter()
        .rev()
        .map(|(p, _)| p)
        .chain(std::iter::once(pom))
    {
        for (k, v) in &model.properties {
            props.insert(k.clone(), v.clone());
        }
    }
    let parent = pom.parent.as_ref();
    let group = pom
        .group
        .clone()
        .or_else(|| parent.and_then(|p| p.group.clone()));
    let version = pom
        .version
        .clone()
        .or_else(|| parent.and_then(|p| p.version.clone()));
    let mut set = |keys: &[&str], value: Option<String>| {
        if let Some(v) = value {
            for k in keys {
                props.insert((*k).to_string(), v.clone());
            }
        }
    };
    set(&["project.groupId", "pom.groupId", "groupId"], group);
    set(
        &["project.artifactId", "pom.artifactId", "artifactId"],
        pom.artifact.clone(),
    );
    set(&["project.version", "pom.version", "version"], version);
    set(
        &["project.parent.groupId", "parent.groupId"],
        parent.and_then(|p| p.group.clone()),
    );
    set(
        &["project.parent.artifactId", "parent.artifactId"],
        parent.and_then(|p| p.artifact.clone()),
    );
    set(
        &["project.parent.version", "parent.version"],
        parent.and_then(|p| p.version.clone()),
    );
    props
}

struct Parents {
    /// Nearest first, with the path each was read from.
    poms: Vec<(Pom, PathBuf)>,
    /// `group:artifact:version` of the first parent that could not be read locally.
    missing: Option<String>,
}

fn load_parents(path: &Path, pom: &Pom, manifest: &mut Manifest) -> Parents {
    let mut out = Parents {
        poms: Vec::new(),
        missing: None,
    };
    let mut visited: HashSet<PathBuf> = HashSet::new();
    visited.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()));
    let mut dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut current_parent = pom.parent.clone();
    while let Some(parent) = current_parent.take() {
        let coordinates = parent.coordinates();
        let relative = parent
            .relative_path
            .as_deref()
            .unwrap_or("../pom.xml")
            .trim();
        // An absolute path would let a scanned repository point the scanner anywhere.
        if relative.is_empty() || Path::new(relative).is_absolute() || out.poms.len() >= MAX_PARENTS
        {
            out.missing = Some(coordinates);
            break;
        }
        let mut candidate = normalize(&dir.join(relative));
        if candidate.is_dir() {
            candidate.push("pom.xml");
        }
        let key = std::fs::canonicalize(&candidate).unwrap_or_else(|_| candidate.clone());
        if !readable_parent(&key) {
            out.missing = Some(coordinates);
            break;
        }
        if !visited.insert(key) {
            manifest.warn(
                None,
                format!("parent POM cycle through {}", candidate.display()),
            );
            break;
        }
        let Ok(bytes) = std::fs::read(&candidate) else {
            out.missing = Some(coordinates);
            break;
        };
        let text = String::from_utf8_lossy(&bytes);
        let model = match Pom::read(&text) {
            Ok(m) => m,
            Err(e) => {
                manifest.warn(
                    None,
                    format!("parent POM {}: {e}; not used", candidate.display()),
                );
                out.missing = Some(coordinates);
                break;
            }
        };
        // `../pom.xml` is often an aggregator, not the parent: Maven checks, so do we.
        let group = model
            .group
            .as_ref()
            .or(model.parent.as_ref().and_then(|p| p.group.as_ref()));
        if model.artifact != parent.artifact
            || (parent.group.is_some() && group != parent.group.as_ref())
        {
            out.missing = Some(coordinates);
            break;
        }
        current_parent = model.parent.clone();
        dir = candidate
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        out.poms.push((model, candidate));
    }
    out
}

/// Largest parent POM read.
const MAX_PARENT_BYTES: u64 = 16 << 20;

/// A parent POM must be a regular file of sensible size outside the system's pseudo-file
/// systems: a scanned repository is untrusted and `relativePath` is its to choose.
fn readable_parent(canonical: &Path) -> bool {
    !["/proc", "/sys", "/dev"]
        .iter()
        .any(|p| canonical.starts_with(p))
        && std::fs::metadata(canonical).is_ok_and(|m| m.is_file() && m.len() <= MAX_PARENT_BYTES)
}

/// Drops `.` and folds `dir/..` without touching the file system, so reported paths read well.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

// -------------------------------------------------------------------------------------------
// The model: only what dependency resolution needs.

#[derive(Clone)]
struct ParentRef {
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    relative_path: Option<String>,
}

impl ParentRef {
    fn coordinates(&self) -> String {
        let part = |p: &Option<String>| p.clone().unwrap_or_else(|| "?".into());
        format!(
            "{}:{}:{}",
            part(&self.group),
            part(&self.artifact),
            part(&self.version)
        )
    }
}

struct Dep {
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    scope: Option<String>,
    kind: Option<String>,
    classifier: Option<String>,
    /// Byte offset of `<dependency>`.
    offset: usize,
    /// False for `dependencyManagement` entries of profiles that are not active by default.
    active: bool,
}

/// Maven's management key: group, artifact, type (default `jar`) and classifier.
#[derive(Clone, PartialEq, Eq, Hash)]
struct DepKey(String, String, String, String);

impl Dep {
    fn key(&self, props: &HashMap<String, String>) -> DepKey {
        let get = |v: &Option<String>, default: &str| {
            v.as_deref()
                .map(|s| interpolate(s, props, 0).unwrap_or_else(|_| s.trim().to_string()))
                .unwrap_or_else(|| default.to_string())
        };
        DepKey(
            get(&self.group, ""),
            get(&self.artifact, ""),
            get(&self.kind, "jar"),
            get(&self.classifier, ""),
        )
    }
}

struct Pom {
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    parent: Option<ParentRef>,
    /// In file order; a later duplicate wins, as in Maven.
    properties: Vec<(String, String)>,
    deps: Vec<Dep>,
    managed: Vec<Dep>,
    lines: LineIndex,
}

impl Pom {
    fn read(text: &str) -> Result<Pom, ParseError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines = LineIndex::new(text);
        let doc = Doc::parse(text, &lines)?;
        let root = 0;
        let leaf = |parent: usize, name: &str| doc.child(parent, name).map(|n| doc.text(n));
        // 4.0.0 is Maven 2 and 3's model, 4.1.0 Maven 4's.
        if let Some(node) = doc.child(root, "modelVersion") {
            let version = doc.text(node);
            if !version.starts_with("4.") {
                let offset = doc.nodes.get(node).map_or(0, |n| n.offset);
                return Err(ParseError::at(
                    lines.line(offset),
                    format!("unsupported POM modelVersion {version:?} (4.x is known)"),
                ));
            }
        }
        let mut pom = Pom {
            group: leaf(root, "groupId"),
            artifact: leaf(root, "artifactId"),
            version: leaf(root, "version"),
            parent: doc.child(root, "parent").map(|p| ParentRef {
                group: leaf(p, "groupId"),
                artifact: leaf(p, "artifactId"),
                version: leaf(p, "version"),
                relative_path: doc.child(p, "relativePath").map(|n| doc.text(n)),
            }),
            properties: Vec::new(),
            deps: Vec::new(),
            managed: Vec::new(),
            lines: LineIndex::new(""),
        };
        let add_properties = |pom: &mut Pom, owner: usize| {
            for props in doc.children(owner, "properties") {
                for &p in doc.nodes.get(props).map_or(&[][..], |n| &n.children) {
                    pom.properties.push((doc.name(p).to_string(), doc.text(p)));
                }
            }
        };
        add_properties(&mut pom, root);
        let deps_of = |owner: usize, active: bool, into: &mut Vec<Dep>| {
            for list in doc.children(owner, "dependencies") {
                for d in doc.children(list, "dependency") {
                    into.push(Dep {
                        group: leaf(d, "groupId"),
                        artifact: leaf(d, "artifactId"),
                        version: leaf(d, "version"),
                        scope: leaf(d, "scope"),
                        kind: leaf(d, "type"),
                        classifier: leaf(d, "classifier"),
                        offset: doc.nodes.get(d).map_or(0, |n| n.offset),
                        active,
                    });
                }
            }
        };
        deps_of(root, true, &mut pom.deps);
        for dm in doc.children(root, "dependencyManagement") {
            deps_of(dm, true, &mut pom.managed);
        }
        for profiles in doc.children(root, "profiles") {
            for profile in doc.children(profiles, "profile") {
                let active = doc
                    .child(profile, "activation")
                    .and_then(|a| doc.child(a, "activeByDefault"))
                    .is_some_and(|n| doc.text(n) == "true");
                if active {
                    add_properties(&mut pom, profile);
                }
                // Dependencies of any profile are reported: a scan cannot know which profiles a
                // build activates, and missing a vulnerable dependency is the worse mistake.
                deps_of(profile, true, &mut pom.deps);
                for dm in doc.children(profile, "dependencyManagement") {
                    deps_of(dm, active, &mut pom.managed);
                }
            }
        }
        pom.lines = lines;
        Ok(pom)
    }
}

// -------------------------------------------------------------------------------------------
// A minimal element tree over quick-xml events.

struct Node {
    /// Local name (namespace prefix dropped).
    name: String,
    offset: usize,
    text: String,
    children: Vec<usize>,
}

struct Doc {
    nodes: Vec<Node>,
}

impl Doc {
    /// Parses `text`; the root element must be `<project>`.
    fn parse(text: &str, lines: &LineIndex) -> Result<Doc, ParseError> {
        let mut reader = Reader::from_str(text);
        reader.config_mut().check_end_names = true;
        let mut nodes: Vec<Node> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        let at = |offset: u64| lines.line(usize::try_from(offset).unwrap_or(usize::MAX));
        loop {
            let offset = reader.buffer_position();
            let event = reader.read_event().map_err(|e| {
                ParseError::at(at(reader.error_position()), format!("invalid XML: {e}"))
            })?;
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let name = std::str::from_utf8(e.local_name().as_ref())
                        .unwrap_or_default()
                        .to_string();
                    if !is_xml_name(&name) {
                        return Err(ParseError::at(
                            at(offset),
                            format!("invalid XML: bad element name <{name}>"),
                        ));
                    }
                    if stack.is_empty() && !nodes.is_empty() {
                        return Err(ParseError::at(
                            at(offset),
                            "invalid XML: content after the root element",
                        ));
                    }
                    let index = nodes.len();
                    nodes.push(Node {
                        name,
                        offset: usize::try_from(offset).unwrap_or(usize::MAX),
                        text: String::new(),
                        children: Vec::new(),
                    });
                    if let Some(&parent) = stack.last() {
                        if let Some(node) = nodes.get_mut(parent) {
                            node.children.push(index);
                        }
                    }
                    if matches!(event, Event::Start(_)) {
                        stack.push(index);
                    }
                }
                Event::End(_) => {
                    stack.pop();
                }
                Event::Text(t) => {
                    let value = t
                        .unescape()
                        .map_err(|e| ParseError::at(at(offset), format!("invalid XML: {e}")))?;
                    match stack.last() {
                        Some(&current) => {
                            if let Some(node) = nodes.get_mut(current) {
                                node.text.push_str(&value);
                            }
                        }
                        None if value.trim().is_empty() => {}
                        None => {
                            return Err(ParseError::at(
                                at(offset),
                                "not a Maven POM: text outside any element",
                            ));
                        }
                    }
                }
                Event::CData(c) => {
                    if let Some(&current) = stack.last() {
                        if let Some(node) = nodes.get_mut(current) {
                            node.text.push_str(&String::from_utf8_lossy(&c));
                        }
                    }
                }
                Event::Eof => break,
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
        if let Some(open) = stack.last().and_then(|&i| nodes.get(i)) {
            return Err(ParseError::at(
                lines.line(open.offset),
                format!("invalid XML: <{}> is never closed", open.name),
            ));
        }
        match nodes.first() {
            None => Err(ParseError::new("not a Maven POM: no XML element")),
            Some(root) if root.name != "project" => Err(ParseError::at(
                lines.line(root.offset),
                format!(
                    "not a Maven POM: the root element is <{}>, not <project>",
                    root.name
                ),
            )),
            Some(_) => Ok(Doc { nodes }),
        }
    }

    fn children<'a>(&'a self, parent: usize, name: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.nodes
            .get(parent)
            .map(|n| n.children.as_slice())
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(move |&c| self.nodes.get(c).is_some_and(|n| n.name == name))
    }

    fn child(&self, parent: usize, name: &str) -> Option<usize> {
        self.children(parent, name).next()
    }

    fn name(&self, node: usize) -> &str {
        self.nodes.get(node).map_or("", |n| n.name.as_str())
    }

    fn text(&self, node: usize) -> String {
        self.nodes
            .get(node)
            .map(|n| n.text.trim().to_string())
            .unwrap_or_default()
    }
}

/// XML's Name production, over ASCII (anything non-ASCII is allowed, as the spec mostly does).
fn is_xml_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    let Some(first) = bytes.next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || matches!(first, b'_' | b':') || !first.is_ascii())
        && bytes.all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-' | b'.') || !b.is_ascii()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Manifest, ParseError> {
        parse(Path::new("/nonexistent/dir/pom.xml"), text)
    }

    type Row<'a> = (&'a str, &'a str, Option<u32>, Option<bool>, Option<bool>);

    fn rows(m: &Manifest) -> Vec<Row<'_>> {
        m.packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.line, p.direct, p.dev))
            .collect()
    }

    #[test]
    fn dependencies_management_scopes_and_properties() {
        let m = parse_str(
            r#"<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <groupId>g</groupId><artifactId>app</artifactId><version>1.2</version>
  <properties>
    <lib.version>2.0</lib.version>
    <alias>${lib.version}</alias>
  </properties>
  <dependencies>
    <dependency><groupId>org.a</groupId><artifactId>a</artifactId><version>${alias}</version></dependency>
    <dependency>
      <groupId>junit</groupId><artifactId>junit</artifactId><version>4.12</version>
      <scope>test</scope>
    </dependency>
    <dependency><groupId>org.b</groupId><artifactId>b</artifactId></dependency>
    <dependency><groupId>g</groupId><artifactId>sibling</artifactId><version>${project.version}</version></dependency>
    <dependency><groupId>org.r</groupId><artifactId>r</artifactId><version>[1.0,2.0)</version></dependency>
    <dependency><groupId>org.e</groupId><artifactId>e</artifactId><version>[3.1]</version></dependency>
    <dependency><groupId>org.u</groupId><artifactId>u</artifactId><version>${nope}</version></dependency>
    <dependency><artifactId>nogroup</artifactId></dependency>
  </dependencies>
  <dependencyManagement><dependencies>
    <dependency><groupId>org.b</groupId><artifactId>b</artifactId><version>5.0</version><scope>provided</scope></dependency>
    <dependency><groupId>org.t</groupId><artifactId>t</artifactId><version>6.0</version></dependency>
  </dependencies></dependencyManagement>
  <build><plugins><plugin><dependencies>
    <dependency><groupId>org.p</groupId><artifactId>p</artifactId><version>1</version></dependency>
  </dependencies></plugin></plugins></build>
</project>
"#,
        )
        .unwrap();
        assert_eq!(
            rows(&m),
            vec![
                ("org.a:a", "2.0", Some(9), Some(true), Some(false)),
                ("junit:junit", "4.12", Some(10), Some(true), Some(true)),
                ("org.b:b", "5.0", Some(14), Some(true), Some(true)),
                ("g:sibling", "1.2", Some(15), Some(true), Some(false)),
                ("org.e:e", "3.1", Some(17), Some(true), Some(false)),
                ("org.t:t", "6.0", Some(23), Some(false), None),
            ]
        );
        let warned: Vec<_> = m.warnings.iter().map(|w| w.line).collect();
        assert_eq!(
            warned,
            vec![Some(16), Some(18), Some(19)],
            "{:?}",
            m.warnings
        );
    }

    #[test]
    fn parent_from_disk_supplies_properties_management_and_dependencies() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pom.xml"),
            r#"<project><groupId>org.x</groupId><artifactId>parent</artifactId><version>7</version>
  <properties><v>3.3</v></properties>
  <dependencies><dependency><groupId>org.inherited</groupId><artifactId>i</artifactId><version>${project.version}</version></dependency></dependencies>
  <dependencyManagement><dependencies>
    <dependency><groupId>org.m</groupId><artifactId>m</artifactId><version>${v}</version></dependency>
  </dependencies></dependencyManagement>
</project>"#,
        )
        .unwrap();
        let child_dir = dir.path().join("child");
        std::fs::create_dir(&child_dir).unwrap();
        let child = child_dir.join("pom.xml");
        let text = r#"<project>
  <parent><groupId>org.x</groupId><artifactId>parent</artifactId><version>7</version></parent>
  <artifactId>child</artifactId>
  <dependencies>
    <dependency><groupId>org.m</groupId><artifactId>m</artifactId></dependency>
  </dependencies>
</project>"#;
        let m = parse(&child, text).unwrap();
        assert_eq!(
            rows(&m),
            vec![
                ("org.m:m", "3.3", Some(5), Some(true), Some(false)),
                ("org.inherited:i", "7", Some(3), Some(true), Some(false)),
            ]
        );
        assert_eq!(m.packages[0].file, None);
        assert_eq!(
            m.packages[1].file.as_deref(),
            Some(dir.path().join("pom.xml").as_path())
        );
        assert!(m.warnings.is_empty(), "{:?}", m.warnings);
    }

    #[test]
    fn missing_parent_is_named_when_a_version_is_missing() {
        let m = parse_str(
            "<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.2.0</version></parent>\n\
             <dependencies><dependency><groupId>org.x</groupId><artifactId>y</artifactId></dependency></dependencies></project>",
        )
        .unwrap();
        assert!(m.packages.is_empty());
        assert!(
            m.warnings[0]
                .message
                .contains("spring-boot-starter-parent:3.2.0"),
            "{:?}",
            m.warnings
        );
        assert_eq!(m.warnings[0].line, Some(2));
    }

    #[test]
    fn parents_outside_the_tree_are_not_read() {
        for relative in ["/etc/passwd", "../../../../../../proc/self/environ"] {
            let m = parse_str(&format!(
                "<project><parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version>\
                 <relativePath>{relative}</relativePath></parent><dependencies><dependency>\
                 <groupId>x</groupId><artifactId>y</artifactId></dependency></dependencies></project>"
            ))
            .unwrap();
            assert!(m.packages.is_empty());
            assert_eq!(m.warnings.len(), 1, "{:?}", m.warnings);
            assert!(m.warnings[0]
                .message
                .contains("g:p:1 is not available locally"));
        }
    }

    #[test]
    fn malformed_documents_are_errors_with_lines() {
        let cases = [
            ("this is not a pom.xml file!", Some(1)),
            ("", None),
            ("<project>\n<dependencies>\n</project>", Some(3)),
            (
                "<project>\n  <properties>\n    <${Id}.version>x</${Id}.version>",
                Some(3),
            ),
            ("<project>\n<a>", Some(2)),
            ("<settings></settings>", Some(1)),
            ("<project/><project/>", Some(1)),
            ("<project>&bogus;</project>", Some(1)),
            (
                "<project>\n  <modelVersion>5.0.0</modelVersion>\n</project>",
                Some(2),
            ),
        ];
        for (text, line) in cases {
            let e = parse_str(text).unwrap_err();
            assert_eq!(e.line, line, "{text}: {e}");
        }
    }

    #[test]
    fn interpolation_cycles_terminate() {
        let m = parse_str(
            "<project><properties><a>${b}</a><b>${a}</b></properties><dependencies>\
             <dependency><groupId>x</groupId><artifactId>y</artifactId><version>${a}</version></dependency>\
             </dependencies></project>",
        )
        .unwrap();
        assert!(m.packages.is_empty());
        assert_eq!(m.warnings.len(), 1);
    }
}
