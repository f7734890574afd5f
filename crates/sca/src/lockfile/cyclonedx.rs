//! CycloneDX SBOMs (spec 1.2 to 1.6), JSON and XML, as scan input.
//!
//! Every component with a purl becomes a package, nested components included; the ecosystem
//! comes from the purl's type and the name follows the ecosystem's conventions (Maven
//! `group:artifact`, npm `@scope/name`, Go the module path). `metadata.component` is the
//! project itself and is not scanned, though its sub-components are. A component without purl,
//! with a purl type the scanner has no advisories for, or without version is a warning naming
//! it. `scope` `optional` or `excluded` marks a development dependency; where the dependency
//! graph lists the project's own dependencies, the packages it names are the direct ones.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use serde_json::Value;

use crate::lockfile::Format;
use crate::sbom::{package_from_purl, push_unique, JsonValueLines};
use crate::{Manifest, ParseError};

/// One component as the document gives it, before it becomes a package.
#[derive(Debug, Default)]
struct Component {
    bom_ref: Option<String>,
    group: Option<String>,
    name: Option<String>,
    version: Option<String>,
    purl: Option<String>,
    scope: Option<String>,
    /// cyclonedx-npm marks development dependencies with a property instead of a scope.
    npm_development: bool,
    line: Option<u32>,
}

impl Component {
    /// How warnings name the component.
    fn describe(&self) -> String {
        let mut s = String::new();
        if let Some(g) = self.group.as_deref().filter(|g| !g.is_empty()) {
            s.push_str(g);
            s.push('/');
        }
        s.push_str(self.name.as_deref().unwrap_or("(unnamed)"));
        if let Some(v) = self.version.as_deref().filter(|v| !v.is_empty()) {
            s.push('@');
            s.push_str(v);
        }
        match &self.bom_ref {
            Some(r) if !r.is_empty() => format!("`{s}` (bom-ref `{r}`)"),
            _ => format!("`{s}`"),
        }
    }
}

/// What both syntaxes yield.
#[derive(Debug, Default)]
struct Document {
    components: Vec<Component>,
    root_ref: Option<String>,
    dependencies: HashMap<String, Vec<String>>,
}

impl Document {
    fn into_manifest(self, format: Format) -> Manifest {
        let mut m = Manifest::new(format);
        let direct: Option<HashSet<&str>> = self
            .root_ref
            .as_deref()
            .and_then(|r| self.dependencies.get(r))
            .map(|deps| deps.iter().map(String::as_str).collect());
        let mut seen = HashMap::new();
        for c in &self.components {
            let Some(raw) = c.purl.as_deref().map(str::trim).filter(|p| !p.is_empty()) else {
                m.warn(
                    c.line,
                    format!("component {} has no purl; it is not scanned", c.describe()),
                );
                continue;
            };
            let written = match (&c.group, &c.name) {
                (Some(g), Some(n)) if !g.is_empty() => Some(format!("{g}/{n}")),
                (_, n) => n.clone(),
            };
            let mut p = match package_from_purl(raw, c.version.as_deref(), written.as_deref()) {
                Ok(p) => p,
                Err(why) => {
                    m.warn(
                        c.line,
                        format!("component {}: {why}; it is not scanned", c.describe()),
                    );
                    continue;
                }
            };
            p.line = c.line;
            p.dev = match c.scope.as_deref().map(str::trim) {
                Some("optional" | "excluded") => Some(true),
                _ if c.npm_development => Some(true),
                Some("required") => Some(false),
                _ => None,
            };
            p.direct = direct
                .as_ref()
                .map(|d| c.bom_ref.as_deref().is_some_and(|r| d.contains(r)));
            push_unique(&mut m, &mut seen, p);
        }
        m
    }
}

// ---------------------------------------------------------------------------------------------
// JSON

pub fn parse_json(_path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let doc: Value = serde_json::from_str(text)
        .map_err(|e| ParseError::at(e.line().max(1) as u32, format!("invalid JSON: {e}")))?;
    let Some(obj) = doc.as_object() else {
        return Err(ParseError::new(
            "not a CycloneDX document: the top level is not an object",
        ));
    };
    match obj.get("bomFormat") {
        Some(Value::String(s)) if s == "CycloneDX" => {}
        Some(other) => {
            return Err(ParseError::new(format!(
                "not a CycloneDX document: bomFormat is {other}, not \"CycloneDX\""
            )))
        }
        None => {
            return Err(ParseError::new(
                "not a CycloneDX document: no bomFormat field",
            ))
        }
    }
    let mut lines = Lines {
        purl: JsonValueLines::new(text, "purl"),
        bom_ref: JsonValueLines::new(text, "bom-ref"),
    };
    let mut out = Document::default();
    if let Some(root) = obj.get("metadata").and_then(|m| m.get("component")) {
        out.root_ref = str_field(root, "bom-ref");
        // Claim the root's lines so that a component with the same purl gets its own.
        lines.of(root);
        if let Some(sub) = root.get("components") {
            json_components(
                sub,
                "metadata.component.components",
                &mut lines,
                &mut out.components,
            )?;
        }
    }
    if let Some(components) = obj.get("components") {
        json_components(components, "components", &mut lines, &mut out.components)?;
    }
    match obj.get("dependencies") {
        None | Some(Value::Null) => {}
        Some(Value::Array(deps)) => {
            for (i, d) in deps.iter().enumerate() {
                let Some(r) = str_field(d, "ref") else {
                    return Err(ParseError::new(format!(
                        "dependencies[{i}].ref is missing or not a string"
                    )));
                };
                let on = match d.get("dependsOn") {
                    Some(Value::Array(a)) => a
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                    _ => Vec::new(),
                };
                out.dependencies.entry(r).or_default().extend(on);
            }
        }
        Some(_) => return Err(ParseError::new("dependencies is not an array")),
    }
    Ok(out.into_manifest(Format::CycloneDxJson))
}

/// Where components are in the text: the line of their purl, or else of their bom-ref (keys
/// that only components have, so each occurrence is claimed in document order).
struct Lines {
    purl: JsonValueLines,
    bom_ref: JsonValueLines,
}

impl Lines {
    fn of(&mut self, component: &Value) -> Option<u32> {
        let purl = component
            .get("purl")
            .and_then(Value::as_str)
            .and_then(|p| self.purl.take(p));
        let bom_ref = component
            .get("bom-ref")
            .and_then(Value::as_str)
            .and_then(|r| self.bom_ref.take(r));
        purl.or(bom_ref)
    }
}

fn str_field(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Components in document order, each followed by its nested components, so that lines
/// claimed by purl follow the text.
fn json_components(
    v: &Value,
    field: &str,
    lines: &mut Lines,
    out: &mut Vec<Component>,
) -> Result<(), ParseError> {
    let items = match v {
        Value::Array(a) => a,
        Value::Null => return Ok(()),
        _ => return Err(ParseError::new(format!("{field} is not an array"))),
    };
    for (i, item) in items.iter().enumerate() {
        let here = format!("{field}[{i}]");
        if !item.is_object() {
            return Err(ParseError::new(format!("{here} is not an object")));
        }
        let npm_development = item
            .get("properties")
            .and_then(Value::as_array)
            .is_some_and(|props| {
                props.iter().any(|p| {
                    p.get("name").and_then(Value::as_str) == Some("cdx:npm:package:development")
                        && p.get("value").and_then(Value::as_str) == Some("true")
                })
            });
        out.push(Component {
            bom_ref: str_field(item, "bom-ref"),
            group: str_field(item, "group"),
            name: str_field(item, "name"),
            version: str_field(item, "version"),
            line: lines.of(item),
            purl: str_field(item, "purl"),
            scope: str_field(item, "scope"),
            npm_development,
        });
        if let Some(nested) = item.get("components") {
            json_components(nested, &format!("{here}.components"), lines, out)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// XML

pub fn parse_xml(_path: &Path, text: &str) -> Result<Manifest, ParseError> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect();
    // 1-based line of a byte offset.
    let line_of = |offset: u64| -> u32 {
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        line_starts.partition_point(|&s| s <= offset) as u32
    };

    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut doc = Document::default();
    // Local names of the open elements, from the root down.
    let mut path: Vec<String> = Vec::new();
    // Components being read: (depth of their element, index in `doc.components`; `None` for
    // the project's own component, whose sub-components are read but whose fields are not).
    let mut open: Vec<(usize, Option<usize>)> = Vec::new();
    let mut text_buf = String::new();
    // The `ref` of the `<dependency>` whose children are being read.
    let mut dependency: Option<String> = None;
    // Whether the `<property>` being read is cyclonedx-npm's development marker.
    let mut npm_dev_property = false;
    let mut root_seen = false;

    loop {
        let event = reader.read_event().map_err(|e| {
            ParseError::at(
                line_of(reader.error_position()),
                format!("invalid XML: {e}"),
            )
        })?;
        // Just past the event; for a start tag, `end - 1` is its `>`, on the tag's last line.
        let end = reader.buffer_position();
        let here = line_of(end.saturating_sub(1));
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_empty = matches!(event, Event::Empty(_));
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if path.is_empty() {
                    if root_seen {
                        return Err(ParseError::at(
                            here,
                            format!("<{name}> after the <bom> element"),
                        ));
                    }
                    if name != "bom" {
                        return Err(ParseError::at(
                            here,
                            format!(
                                "not a CycloneDX document: the root element is <{name}>, not <bom>"
                            ),
                        ));
                    }
                    root_seen = true;
                }
                let depth = path.len();
                let parent = path.last().map(String::as_str);
                let grandparent = depth.checked_sub(2).map(|i| path[i].as_str());
                // Relative to the innermost component being read: 1 for its own fields, 2 for
                // the children of its `<components>` and `<properties>`.
                let rel = open.last().map(|&(d, _)| depth.wrapping_sub(d));
                let get = |key: &str| attr(e, key).map_err(|m| ParseError::at(here, m));
                match (name.as_str(), parent) {
                    ("component", Some("metadata")) if depth == 2 => {
                        doc.root_ref = get("bom-ref")?;
                        if !is_empty {
                            open.push((depth, None));
                        }
                    }
                    // Components of the BOM and of other components (the project's included);
                    // not pedigree ancestors, which are not part of the product.
                    ("component", Some("components"))
                        if grandparent == Some("bom") || rel == Some(2) =>
                    {
                        doc.components.push(Component {
                            bom_ref: get("bom-ref")?,
                            line: Some(here),
                            ..Component::default()
                        });
                        if !is_empty {
                            open.push((depth, Some(doc.components.len() - 1)));
                        }
                    }
                    ("purl", _) if rel == Some(1) => {
                        if let Some(&(_, Some(i))) = open.last() {
                            doc.components[i].line = Some(here);
                        }
                    }
                    ("property", Some("properties")) if rel == Some(2) => {
                        npm_dev_property =
                            get("name")?.as_deref() == Some("cdx:npm:package:development");
                    }
                    ("dependency", Some("dependencies")) if depth == 2 => {
                        let r = get("ref")?;
                        if let Some(r) = &r {
                            doc.dependencies.entry(r.clone()).or_default();
                        }
                        dependency = if is_empty { None } else { r };
                    }
                    ("dependency", Some("dependency")) if depth == 3 => {
                        if let (Some(from), Some(to)) = (&dependency, get("ref")?) {
                            doc.dependencies.entry(from.clone()).or_default().push(to);
                        }
                    }
                    _ => {}
                }
                text_buf.clear();
                if !is_empty {
                    path.push(name);
                }
            }
            Event::Text(t) => {
                let s = t
                    .unescape()
                    .map_err(|e| ParseError::at(here, format!("invalid XML text: {e}")))?;
                text_buf.push_str(&s);
            }
            Event::CData(c) => {
                let s = c
                    .decode()
                    .map_err(|e| ParseError::at(here, format!("invalid XML text: {e}")))?;
                text_buf.push_str(&s);
            }
            Event::End(_) => {
                let Some(name) = path.pop() else {
                    continue;
                };
                let depth = path.len();
                if let Some(&(d, i)) = open.last() {
                    let value = text_buf.trim();
                    let rel = depth.wrapping_sub(d);
                    if rel == 0 && name == "component" {
                        open.pop();
                    }
                    let mut unused = Component::default();
                    let c = match i {
                        Some(i) => &mut doc.components[i],
                        None => &mut unused,
                    };
                    match (rel, name.as_str()) {
                        (1, "group") => c.group = Some(value.to_string()),
                        (1, "name") => c.name = Some(value.to_string()),
                        (1, "version") => c.version = Some(value.to_string()),
                        (1, "purl") => c.purl = Some(value.to_string()),
                        (1, "scope") => c.scope = Some(value.to_string()),
                        (2, "property") if npm_dev_property => {
                            c.npm_development |= value == "true";
                            npm_dev_property = false;
                        }
                        _ => {}
                    }
                }
                if name == "dependency" && depth == 2 {
                    dependency = None;
                }
                text_buf.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(unclosed) = path.last() {
        return Err(ParseError::at(
            line_of(text.len() as u64),
            format!("invalid XML: unexpected end of file, <{unclosed}> is not closed"),
        ));
    }
    if !root_seen {
        return Err(ParseError::new(
            "not a CycloneDX document: no <bom> element",
        ));
    }
    Ok(doc.into_manifest(Format::CycloneDxXml))
}

/// An attribute's unescaped value, by local name.
fn attr(e: &BytesStart, name: &str) -> Result<Option<String>, String> {
    for a in e.attributes() {
        let a = a.map_err(|err| format!("invalid XML attribute: {err}"))?;
        if a.key.local_name().as_ref() == name.as_bytes() {
            let v = a
                .unescape_value()
                .map_err(|err| format!("invalid value of attribute `{name}`: {err}"))?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Ecosystem;

    fn json(text: &str) -> Manifest {
        parse_json(Path::new("bom.json"), text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn xml(text: &str) -> Manifest {
        parse_xml(Path::new("bom.xml"), text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn json_components_and_graph() {
        let m = json(
            r#"{
  "bomFormat": "CycloneDX", "specVersion": "1.5",
  "metadata": {"component": {"type": "application", "name": "app", "bom-ref": "root"}},
  "components": [
    {"type": "library", "bom-ref": "a", "group": "@babel", "name": "core", "version": "7.22.0",
     "purl": "pkg:npm/%40babel/core@7.22.0",
     "components": [
       {"type": "library", "bom-ref": "b", "name": "json5", "version": "2.2.3", "purl": "pkg:npm/json5@2.2.3", "scope": "optional"}
     ]},
    {"type": "library", "name": "internal-thing", "version": "1.0"},
    {"type": "library", "bom-ref": "c", "name": "x", "purl": "pkg:npm/x"},
    {"type": "container", "bom-ref": "d", "name": "alpine", "version": "3.19", "purl": "pkg:oci/alpine@sha256%3Aabc"}
  ],
  "dependencies": [{"ref": "root", "dependsOn": ["a"]}, {"ref": "a", "dependsOn": ["b"]}]
}"#,
        );
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| {
                (
                    p.ecosystem,
                    p.name.as_str(),
                    p.version.as_str(),
                    p.line,
                    p.direct,
                    p.dev,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    Ecosystem::Npm,
                    "@babel/core",
                    "7.22.0",
                    Some(6),
                    Some(true),
                    None
                ),
                (
                    Ecosystem::Npm,
                    "json5",
                    "2.2.3",
                    Some(8),
                    Some(false),
                    Some(true)
                ),
            ]
        );
        assert_eq!(
            m.packages[0].purl.as_deref(),
            Some("pkg:npm/%40babel/core@7.22.0")
        );
        let w: Vec<_> = m.warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(w[0].contains("`internal-thing@1.0`") && w[0].contains("no purl"));
        assert!(w[1].contains("`x` (bom-ref `c`)") && w[1].contains("no version"));
        assert!(w[2].contains("`oci` is not supported"));
    }

    #[test]
    fn json_rejects_other_documents() {
        for (text, msg) in [
            ("[]", "not an object"),
            ("{}", "no bomFormat"),
            (r#"{"bomFormat": "SPDX"}"#, "bomFormat is \"SPDX\""),
            (
                r#"{"bomFormat": "CycloneDX", "components": {}}"#,
                "components is not an array",
            ),
            (
                r#"{"bomFormat": "CycloneDX", "components": [{"components": [1]}]}"#,
                "components[0].components[0] is not an object",
            ),
            ("{\n\"bomFormat\": ", "invalid JSON"),
        ] {
            let e = parse_json(Path::new("x"), text).unwrap_err();
            assert!(e.message.contains(msg), "{text}: {e}");
        }
    }

    #[test]
    fn xml_components_nested_and_graph() {
        let m = xml(r#"<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">
  <metadata>
    <component type="application" bom-ref="root"><name>app</name><purl>pkg:maven/com.acme/app@1.0</purl></component>
  </metadata>
  <components>
    <component type="library" bom-ref="pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1">
      <supplier><name>Apache</name></supplier>
      <group>org.apache.logging.log4j</group>
      <name>log4j-core</name>
      <version>2.14.1</version>
      <scope>required</scope>
      <purl>pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar</purl>
      <pedigree><ancestors><component type="library"><name>log4j-core</name><version>2.0</version><purl>pkg:maven/org.apache.logging.log4j/log4j-core@2.0</purl></component></ancestors></pedigree>
      <components>
        <component type="library" bom-ref="inner">
          <name>inner &amp; co</name>
          <version>0.1</version>
          <scope>excluded</scope>
          <purl><![CDATA[pkg:maven/com.acme/inner@0.1]]></purl>
        </component>
      </components>
    </component>
    <component type="library"><name>no-purl</name></component>
  </components>
  <dependencies>
    <dependency ref="root"><dependency ref="pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"/></dependency>
    <dependency ref="inner"/>
  </dependencies>
</bom>"#);
        let got: Vec<_> = m
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.line, p.direct, p.dev))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "org.apache.logging.log4j:log4j-core",
                    "2.14.1",
                    Some(13),
                    Some(true),
                    Some(false)
                ),
                ("com.acme:inner", "0.1", Some(20), Some(false), Some(true)),
            ]
        );
        assert_eq!(m.warnings.len(), 1);
        assert!(m.warnings[0].message.contains("`no-purl`"));
        assert_eq!(m.warnings[0].line, Some(24));
    }

    #[test]
    fn sub_components_of_the_project_are_scanned() {
        let m = json(
            r#"{"bomFormat": "CycloneDX", "metadata": {"component": {"name": "app", "purl": "pkg:npm/app@1.0.0",
              "components": [{"name": "plugin", "version": "2.0.0", "purl": "pkg:npm/plugin@2.0.0"}]}}}"#,
        );
        assert_eq!(m.packages.len(), 1);
        assert_eq!(m.packages[0].name, "plugin");
        let m = xml(
            r#"<bom><metadata><component type="application"><name>app</name><purl>pkg:npm/app@1.0.0</purl>
            <components><component type="library"><name>plugin</name><version>2.0.0</version><purl>pkg:npm/plugin@2.0.0</purl></component></components>
            </component></metadata></bom>"#,
        );
        assert_eq!(m.packages.len(), 1);
        assert_eq!(
            (m.packages[0].name.as_str(), m.packages[0].line),
            ("plugin", Some(2))
        );
    }

    #[test]
    fn xml_rejects_other_documents() {
        for (text, msg) in [
            ("<project/>", "root element is <project>"),
            ("", "no <bom>"),
            ("<bom><components><component></bom>", "invalid XML"),
            (
                "<bom><components><component bom-ref=\"&bogus;\"/></components></bom>",
                "bom-ref",
            ),
        ] {
            let e = parse_xml(Path::new("x"), text).unwrap_err();
            assert!(e.message.contains(msg), "{text}: {e}");
        }
    }

    #[test]
    fn truncated_input_never_panics() {
        let j = r#"{"bomFormat":"CycloneDX","components":[{"purl":"pkg:npm/%40a/b@1","name":"b","version":"1","components":[{"purl":"pkg:x/y"}]}],"dependencies":[{"ref":"r","dependsOn":["a"]}]}"#;
        let x = r#"<bom><metadata><component bom-ref="r"/></metadata><components><component bom-ref="a"><name>b</name><purl>pkg:npm/b@1</purl><components><component><purl>pkg:x/y</purl></component></components></component></components><dependencies><dependency ref="r"><dependency ref="a"/></dependency></dependencies></bom>"#;
        for i in 0..=j.len() {
            let _ = parse_json(Path::new("x"), &j[..i]);
        }
        for i in 0..=x.len() {
            let _ = parse_xml(Path::new("x"), &x[..i]);
        }
    }
}
