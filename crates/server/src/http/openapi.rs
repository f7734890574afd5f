//! The OpenAPI 3.1 description, generated from the route table the router is mounted from, so
//! the two cannot drift.

use serde_json::{json, Map, Value};

use super::{routes, Verb};
use crate::domain::Permission;

/// The document served at `/api/v1/openapi.json`.
pub fn document() -> Value {
    let mut paths = Map::new();
    for r in routes() {
        // OpenAPI writes path parameters as axum 0.8 does: `{name}`.
        let params: Vec<Value> = r
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| {
                let schema = if name == "id" {
                    json!({"type": "integer", "format": "int64"})
                } else {
                    json!({"type": "string"})
                };
                json!({"name": name, "in": "path", "required": true, "schema": schema})
            })
            .collect();
        let method = match r.verb {
            Verb::Get => "get",
            Verb::Post => "post",
            Verb::Patch => "patch",
        };
        let mut op = json!({
            "summary": r.summary,
            "operationId": format!("{method}{}", r.path.replace(['/', '{', '}', '.'], "_")),
            "parameters": params,
            "x-gatehouse-permission": r.permission,
            "responses": {
                "default": {
                    "description": "An error: {\"error\": {\"code\", \"message\"}}",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
                },
                "200": {"description": "Success", "content": {"application/json": {"schema": {}}}}
            }
        });
        if r.permission == Permission::Public {
            op["security"] = json!([]);
        }
        if r.verb != Verb::Get {
            let content = if r.path.ends_with("/scans") {
                json!({"application/json": {"schema": {}}, "application/xml": {"schema": {}},
                       "text/csv": {"schema": {}}})
            } else {
                json!({"application/json": {"schema": {"type": "object"}}})
            };
            op["requestBody"] = json!({"required": !r.path.ends_with("/approve") && !r.path.ends_with("/reject"), "content": content});
        }
        paths
            .entry(r.path.to_string())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|o| o.insert(method.to_string(), op));
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Gatehouse",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Findings, security tickets with SLA, exceptions and audit. Every route but signing in and this document needs Authorization: Bearer TOKEN."
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "object", "required": ["code", "message"],
                        "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}
                }
            }
        },
        "security": [{"bearer": []}]
    })
}
