//! The OpenAPI 3.1 description, generated from the route table the router is mounted from, so
//! the two cannot drift.
//!
//! Each route of the table names its handler, and the handler's signature is its contract: the
//! types of its arguments (path, query, JSON body, form, report upload) and of its answer
//! (`Json<T>` 200, `Created<T>` 201, a page, a redirect) describe the operation through the
//! [`DescribeArg`] and [`DescribeAnswer`] traits. Schemas come from the same Rust types, derived
//! with `schemars` (JSON Schema 2020-12, the dialect of OpenAPI 3.1), and are collected in
//! `components/schemas`. A handler whose answer type says nothing (a bare `Response`) yields an
//! operation without a success response, which the tests refuse.

use std::collections::BTreeSet;
use std::future::Future;

use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Form, Json};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{json, Map, Value};

use super::error::ErrorBody;
use super::{routes, App, Verb};
use crate::domain::Permission;

/// What a route's handler says about its operation.
#[derive(Default)]
pub struct Operation {
    /// The schema of the query parameters' struct (an object; each property is a parameter).
    pub query: Option<Value>,
    /// The schema of the path parameters (one schema, or `prefixItems` for a tuple).
    pub path: Option<Value>,
    pub body: Option<RequestBody>,
    /// Success (and redirect) answers: status and content.
    pub answers: Vec<(u16, Content)>,
    /// The error statuses the extractors and the domain can answer.
    pub errors: BTreeSet<u16>,
}

pub enum RequestBody {
    /// A JSON body of this schema; `required: false` when an empty body is accepted.
    Json { schema: Value, required: bool },
    /// A scan report in any importable format.
    Report,
    /// An HTML form (`application/x-www-form-urlencoded`) of this schema.
    Form(Value),
}

pub enum Content {
    Json(Value),
    Html,
    /// A `303 See Other` to another page (`Location`).
    Redirect,
}

/// What a handler argument adds to the operation.
pub trait DescribeArg {
    fn describe(_op: &mut Operation, _g: &mut SchemaGenerator) {}
}

/// What a handler's answer adds to the operation.
pub trait DescribeAnswer {
    fn describe(op: &mut Operation, g: &mut SchemaGenerator);
}

impl DescribeArg for State<App> {}
impl<T> DescribeArg for Extension<T> {}
impl<T> DescribeArg for Option<Extension<T>> {}
impl DescribeArg for HeaderMap {}

impl<T: JsonSchema> DescribeArg for Result<Path<T>, PathRejection> {
    fn describe(op: &mut Operation, g: &mut SchemaGenerator) {
        op.path = Some(g.subschema_for::<T>().to_value());
        op.errors.extend([400, 404]);
    }
}

impl<T: JsonSchema> DescribeArg for Result<Query<T>, QueryRejection> {
    fn describe(op: &mut Operation, g: &mut SchemaGenerator) {
        op.query = Some(T::json_schema(g).to_value());
        op.errors.insert(400);
    }
}

impl<T: JsonSchema> DescribeArg for Result<Json<T>, JsonRejection> {
    fn describe(op: &mut Operation, g: &mut SchemaGenerator) {
        op.body = Some(RequestBody::Json {
            schema: g.subschema_for::<T>().to_value(),
            required: true,
        });
        // Malformed JSON, no JSON content type, JSON of the wrong shape or content.
        op.errors.extend([400, 415, 422]);
    }
}

impl<T: JsonSchema> DescribeArg for Result<Form<T>, FormRejection> {
    fn describe(op: &mut Operation, g: &mut SchemaGenerator) {
        op.body = Some(RequestBody::Form(g.subschema_for::<T>().to_value()));
        op.errors.insert(400);
    }
}

impl<T: DescribeAnswer, E> DescribeAnswer for Result<T, E> {
    fn describe(op: &mut Operation, g: &mut SchemaGenerator) {
        T::describe(op, g);
        op.errors.insert(500);
    }
}

impl<T: JsonSchema> DescribeAnswer for Json<T> {
    fn describe(op: &mut Operation, g: &mut SchemaGenerator) {
        op.answers
            .push((200, Content::Json(g.subschema_for::<T>().to_value())));
    }
}

/// A bare response declares nothing: the tests refuse such a route.
impl DescribeAnswer for Response {
    fn describe(_op: &mut Operation, _g: &mut SchemaGenerator) {}
}

/// A handler (an `async fn` of up to seven extractors) whose operation can be described.
pub trait Described<Args> {
    fn operation(g: &mut SchemaGenerator) -> Operation;
}

macro_rules! described {
    ($($a:ident),*) => {
        impl<F, Fut, $($a,)*> Described<($($a,)*)> for F
        where
            F: Fn($($a),*) -> Fut,
            Fut: Future,
            Fut::Output: DescribeAnswer,
            $($a: DescribeArg,)*
        {
            fn operation(g: &mut SchemaGenerator) -> Operation {
                let mut op = Operation::default();
                $(<$a as DescribeArg>::describe(&mut op, g);)*
                <Fut::Output as DescribeAnswer>::describe(&mut op, g);
                op
            }
        }
    };
}

described!();
described!(A1);
described!(A1, A2);
described!(A1, A2, A3);
described!(A1, A2, A3, A4);
described!(A1, A2, A3, A4, A5);
described!(A1, A2, A3, A4, A5, A6);
described!(A1, A2, A3, A4, A5, A6, A7);

/// The operation of `handler` (used by the route table's macro).
pub fn operation_of<H: Described<A>, A>(_handler: &H, g: &mut SchemaGenerator) -> Operation {
    H::operation(g)
}

/// The generator every schema of the document comes from: JSON Schema 2020-12, with named
/// types referenced from `components/schemas`.
pub fn generator() -> SchemaGenerator {
    SchemaSettings::draft2020_12()
        .with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        })
        .into_generator()
}

fn error_response(why: &str) -> Value {
    json!({
        "description": why,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    })
}

fn error_text(status: u16) -> &'static str {
    match status {
        400 => "Bad request: a malformed parameter or body (the message names it)",
        401 => "Not signed in, or the token is unknown or expired",
        403 => "The caller's role or project scope does not allow this",
        404 => "No such object, or no such project",
        409 => "The object's state does not allow this (it exists already, or was decided)",
        413 => "The body is larger than the server's limit",
        415 => "The body is not of the expected media type",
        422 => "The body is well-formed but its content is wrong (the message names the field)",
        500 => "The database failed; the server log has the details",
        _ => "An error",
    }
}

fn parameters(r: &super::Route, op: &Operation) -> Vec<Value> {
    let names: Vec<&str> = r
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect();
    let mut out = Vec::new();
    for (i, name) in names.iter().enumerate() {
        // A tuple of path parameters is an array schema with `prefixItems`; one parameter is
        // described by its own schema.
        let schema = match &op.path {
            Some(s) => match s.get("prefixItems").and_then(Value::as_array) {
                Some(items) => items.get(i).cloned().unwrap_or_else(|| json!({})),
                None => s.clone(),
            },
            None => json!({"type": "string"}),
        };
        out.push(json!({"name": name, "in": "path", "required": true, "schema": schema}));
    }
    if let Some(q) = &op.query {
        let required: Vec<&str> = q
            .get("required")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(props) = q.get("properties").and_then(Value::as_object) {
            for (name, schema) in props {
                let mut schema = schema.clone();
                let description = schema.as_object_mut().and_then(|o| o.remove("description"));
                let mut p = json!({
                    "name": name,
                    "in": "query",
                    "required": required.contains(&name.as_str()),
                    "schema": schema,
                });
                if let Some(d) = description {
                    p["description"] = d;
                }
                out.push(p);
            }
        }
    }
    out
}

/// The document served at `/api/v1/openapi.json`.
pub fn document() -> Value {
    let mut g = generator();
    let mut paths = Map::new();
    for r in routes() {
        let op = (r.describe)(&mut g);
        let method = match r.verb {
            Verb::Get => "get",
            Verb::Post => "post",
            Verb::Patch => "patch",
        };
        let web = !r.path.starts_with("/api/");
        let mut responses = Map::new();
        for (status, content) in &op.answers {
            let v = match content {
                Content::Json(schema) => json!({
                    "description": if *status == 201 { "Created" } else { "Success" },
                    "content": {"application/json": {"schema": schema}}
                }),
                Content::Html => json!({
                    "description": "An HTML page",
                    "content": {"text/html": {"schema": {"type": "string"}}}
                }),
                Content::Redirect => json!({
                    "description": "See Other: the page to go to next (Location)",
                    "headers": {"Location": {"schema": {"type": "string"}}}
                }),
            };
            responses.insert(status.to_string(), v);
        }
        let mut errors = op.errors.clone();
        errors.extend(r.errors.iter().copied());
        if r.permission != Permission::Public {
            if web {
                // A page the caller is not signed in for sends the browser to the sign-in page.
                responses.entry("303").or_insert_with(|| {
                    json!({
                        "description": "Not signed in: See Other /login",
                        "headers": {"Location": {"schema": {"type": "string"}}}
                    })
                });
                errors.insert(403);
            } else {
                errors.extend([401, 403]);
            }
        }
        for status in errors {
            responses
                .entry(status.to_string())
                .or_insert_with(|| error_response(error_text(status)));
        }
        let mut o = json!({
            "summary": r.summary,
            "operationId": format!("{method}{}", r.path.replace(['/', '{', '}', '.', '-'], "_")),
            "parameters": parameters(&r, &op),
            "x-gatehouse-permission": r.permission,
            "responses": responses,
        });
        if r.permission == Permission::Public {
            o["security"] = json!([]);
        }
        match &op.body {
            None => {}
            Some(RequestBody::Json { schema, required }) => {
                o["requestBody"] = json!({
                    "required": required,
                    "content": {"application/json": {"schema": schema}}
                });
            }
            Some(RequestBody::Form(schema)) => {
                o["requestBody"] = json!({
                    "required": true,
                    "content": {"application/x-www-form-urlencoded": {"schema": schema}}
                });
            }
            Some(RequestBody::Report) => {
                o["requestBody"] = json!({
                    "required": true,
                    "description": "A scan report in any format the server imports (Gatehouse scan or gate JSON, SARIF 2.1.0, Trivy, Semgrep, Gitleaks, Bandit, osv-scanner, ZAP JSON or XML, Checkov, SonarQube issues, CSV), recognised from its content or named with `format`",
                    "content": {
                        "application/json": {"schema": {}},
                        "application/sarif+json": {"schema": {}},
                        "application/xml": {"schema": {"type": "string"}},
                        "text/csv": {"schema": {"type": "string"}},
                        "application/octet-stream": {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}
                    }
                });
            }
        }
        paths
            .entry(r.path.to_string())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|item| item.insert(method.to_string(), o));
    }
    g.subschema_for::<ErrorBody>();
    let schemas: Map<String, Value> = g.take_definitions(true).into_iter().collect();
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Gatehouse",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Findings, security tickets with SLA, exceptions and audit. Every route but signing in and this document needs Authorization: Bearer TOKEN (or, from the web pages, the session cookie and an X-CSRF-Token header on changes)."
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": super::web::SESSION_COOKIE}
            },
            "schemas": schemas
        },
        "security": [{"bearer": []}, {"session": []}]
    })
}

/// What is wrong with a document: operations without a declared success answer (a handler
/// answering a bare `Response`), path parameters without a description. Empty when whole.
pub fn problems(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return vec!["no paths".into()];
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let declared = op["responses"].as_object().is_some_and(|r| {
                r.iter().any(|(status, v)| {
                    (status.starts_with('2') && v.get("content").is_some())
                        || (status.starts_with('3') && v.get("headers").is_some())
                })
            });
            if !declared {
                out.push(format!(
                    "{} {path}: no declared answer (the handler's answer type says nothing: \
                     answer Json<T>, Created<T>, a Page or a Redirect)",
                    method.to_uppercase()
                ));
            }
            for seg in path.split('/') {
                if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    let found = op["parameters"].as_array().is_some_and(|ps| {
                        ps.iter().any(|p| p["name"] == name && p["in"] == "path")
                    });
                    if !found {
                        out.push(format!(
                            "{method} {path}: path parameter {name} undescribed"
                        ));
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use axum::routing::on;

    use super::*;
    use crate::http::Route;

    async fn undeclared() -> Response {
        Response::default()
    }

    async fn declared() -> Json<Vec<String>> {
        Json(Vec::new())
    }

    fn doc_of(routes: Vec<Route>) -> Value {
        let mut g = generator();
        let mut paths = Map::new();
        for r in routes {
            let op = (r.describe)(&mut g);
            let responses: Map<String, Value> = op
                .answers
                .iter()
                .map(|(s, _)| (s.to_string(), json!({"content": {}})))
                .collect();
            paths.insert(
                r.path.to_string(),
                json!({"get": {"responses": responses, "parameters": []}}),
            );
        }
        json!({"paths": paths})
    }

    #[test]
    fn a_route_without_a_declared_answer_is_a_problem() {
        let route = |path: &'static str, undeclared_answer: bool| Route {
            verb: Verb::Get,
            path,
            permission: Permission::Read,
            summary: "",
            errors: &[],
            describe: if undeclared_answer {
                |g| operation_of(&undeclared, g)
            } else {
                |g| operation_of(&declared, g)
            },
            mount: if undeclared_answer {
                |m| on(m, undeclared)
            } else {
                |m| on(m, declared)
            },
        };
        let doc = doc_of(vec![route("/a", false), route("/b", true)]);
        let p = problems(&doc);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("GET /b: no declared answer"), "{p:?}");
        // And the real table has none.
        assert_eq!(problems(&document()), Vec::<String>::new());
    }
}
