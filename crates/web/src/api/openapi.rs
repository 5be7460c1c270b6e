//! The OpenAPI 3.1 description of `/api/v1`, written by hand beside the routes it describes (a test checks
//! that every route in the router is described and every described path answers).

use axum::Json;
use serde_json::{Value, json};

fn op(summary: &str, tag: &str, body: Option<&str>, ok: &str) -> Value {
    let mut o = json!({
        "summary": summary,
        "tags": [tag],
        "responses": {
            ok: {"description": "Success", "content": {"application/json": {"schema": {"type": "object"}}}},
            "401": {"$ref": "#/components/responses/Error"},
            "404": {"$ref": "#/components/responses/Error"},
            "422": {"$ref": "#/components/responses/Error"}
        }
    });
    if let Some(schema) = body {
        o["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
    }
    o
}

fn with_id(mut v: Value) -> Value {
    v["parameters"] = json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}]);
    v
}

/// The document.
pub fn spec() -> Value {
    let step = |summary: &str, schema: &str| {
        with_id(json!({"post": op(summary, "referrals", Some(schema), "200")}))
    };
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Safeguard API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Referrals of online child abuse and exploitation, from intake to outcome. Sign in with POST /auth/login and send the token as `Authorization: Bearer <token>`. Records outside your scope answer 404 exactly as records that do not exist. Any request may carry `X-Justification`; the force may make it mandatory for some kinds of processing. Changes name the `version` they were based on; a stale version answers 409."
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"}, "location": {"type": "string"}}}}},
                "Login": {"type": "object", "required": ["username", "password"], "properties": {"username": {"type": "string"}, "password": {"type": "string"}}},
                "Package": {"type": "object", "required": ["source", "received_at", "reports"], "properties": {
                    "source": {"type": "string", "examples": ["manual", "NCA"]},
                    "package_ref": {"type": "string"},
                    "received_at": {"type": "string", "format": "date-time"},
                    "borough": {"type": "string", "description": "A borough name (any case); unknown or missing leaves the referral on the central queue"},
                    "reports": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["report_id", "report"], "properties": {
                        "report_id": {"type": "string"},
                        "narrative": {"type": "string"},
                        "report": {"type": "object", "description": "CyberTipline report content as JSON (element names as NCMEC's); incidentSummary.incidentType and incidentSummary.incidentDateTime are mandatory"}}}}}},
                "Assess": {"type": "object", "required": ["level", "reason", "version"], "properties": {"level": {"enum": ["very_high", "high", "medium", "low"]}, "reason": {"type": "string"}, "version": {"type": "integer"}}},
                "Route": {"type": "object", "required": ["bcu", "version"], "properties": {"bcu": {"type": "string"}, "version": {"type": "integer"}}},
                "Allocate": {"type": "object", "required": ["officer", "version"], "properties": {"officer": {"type": "string", "description": "user name"}, "version": {"type": "integer"}}},
                "Enforce": {"type": "object", "required": ["kind", "version"], "properties": {"kind": {"enum": ["warrant", "arrest", "voluntary_interview"]}, "at": {"type": "string", "format": "date-time"}, "address": {"type": "string", "description": "required for a warrant; must be corroborated"}, "notes": {"type": "string"}, "version": {"type": "integer"}}},
                "Outcome": {"type": "object", "required": ["code", "rationale", "version"], "properties": {"code": {"type": "string", "examples": ["1", "1A", "16"]}, "rationale": {"type": "string"}, "version": {"type": "integer"}}},
                "Assessment": {"type": "object", "required": ["version"], "properties": {"answers": {"type": "object", "additionalProperties": {"type": ["boolean", "integer", "string"]}}, "version": {"type": "integer"}}},
                "Decision": {"type": "object", "required": ["decision", "version"], "properties": {"decision": {"enum": ["sign_off", "override"]}, "level": {"enum": ["very_high", "high", "medium", "low"]}, "reason": {"type": "string"}, "version": {"type": "integer"}}},
                "CdRequest": {"type": "object", "required": ["ip_event_id", "provider"], "properties": {"ip_event_id": {"type": "string"}, "provider": {"type": "string"}}},
                "CdAnswer": {"type": "object", "required": ["subscriber", "address"], "properties": {"subscriber": {"type": "string"}, "address": {"type": "string"}}},
                "Check": {"type": "object", "required": ["address", "method", "detail"], "properties": {"address": {"type": "string"}, "method": {"type": "string"}, "detail": {"type": "string"}}},
                "NewUser": {"type": "object", "required": ["username", "display_name", "role", "password"], "properties": {"username": {"type": "string"}, "display_name": {"type": "string"}, "role": {"type": "string"}, "bcu": {"type": "string"}, "password": {"type": "string", "minLength": 12}}}
            }
        },
        "security": [{"bearer": []}],
        "paths": {
            "/auth/login": {"post": {"security": [], "summary": "Sign in", "tags": ["session"], "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Login"}}}},
                "responses": {"200": {"description": "A bearer token", "content": {"application/json": {"schema": {"type": "object", "required": ["token"], "properties": {"token": {"type": "string"}, "expires_at": {"type": "string"}}}}}}, "422": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}},
            "/auth/logout": {"post": op("Sign out (ends the session)", "session", None, "200")},
            "/me": {"get": op("The signed-in user", "session", None, "200")},
            "/referrals": {
                "get": {
                    "summary": "Referrals in the caller's scope, soonest due first",
                    "tags": ["referrals"],
                    "parameters": [
                        {"name": "status", "in": "query", "schema": {"type": "string", "examples": ["all", "open", "new", "assessed", "allocated", "enforcement", "closed"]}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}},
                        {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                        {"name": "unrouted", "in": "query", "schema": {"type": "boolean"}}
                    ],
                    "responses": {"200": {"description": "`{items, page_size, next_cursor}`; each item has id, bcu, status, risk_level, due_at and more", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}}
                },
                "post": op("Create referrals from a JSON package (201 when anything was new, 200 when all were duplicates)", "referrals", Some("Package"), "201")
            },
            "/referrals/{id}": with_id(json!({"get": op("One referral", "referrals", None, "200")})),
            "/referrals/{id}/timeline": with_id(json!({"get": op("The referral's timeline", "referrals", None, "200")})),
            "/referrals/{id}/risk": step("Record a risk level with a reason", "Assess"),
            "/referrals/{id}/route": step("Route to a BCU", "Route"),
            "/referrals/{id}/allocation": step("Allocate to an officer of the BCU", "Allocate"),
            "/referrals/{id}/enforcement": step("Record an enforcement action", "Enforce"),
            "/referrals/{id}/outcome": step("Record the Home Office outcome with its rationale", "Outcome"),
            "/referrals/{id}/original": with_id(json!({"get": {"summary": "The report exactly as received (a logged disclosure); its SHA-256 in X-Content-SHA256", "tags": ["referrals"], "responses": {"200": {"description": "The XML or JSON as received"}, "404": {"$ref": "#/components/responses/Error"}}}})),
            "/referrals/{id}/package": with_id(json!({"get": {"summary": "The whole package the report arrived in, exactly as received (a logged disclosure)", "tags": ["referrals"], "responses": {"200": {"description": "The package as received"}, "404": {"$ref": "#/components/responses/Error"}}}})),
            "/referrals/{id}/instrument": with_id(json!({"get": op("The risk instrument, the answers the referral already gives, and past assessments", "triage", None, "200")})),
            "/referrals/{id}/assessment": step("Complete the risk instrument: `{answers: {question: value}, version}`; a level only when every question is answered", "Assessment"),
            "/referrals/{id}/assessment/decision": step("A supervisor signs off the latest assessment or overrides its level with a reason", "Decision"),
            "/referrals/{id}/cd-requests": with_id(json!({
                "get": op("The referral's communications data requests", "identification", None, "200"),
                "post": op("Raise a communications data request from a stored IP event (address, port and instant copied, never typed)", "identification", Some("CdRequest"), "201")
            })),
            "/referrals/{id}/cd-requests/{request}/answer": {"post": {
                "summary": "Record the provider's answer (subscriber and address)", "tags": ["identification"],
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "request", "in": "path", "required": true, "schema": {"type": "string"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CdAnswer"}}}},
                "responses": {"200": {"description": "The answered request"}, "404": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}
            }},
            "/referrals/{id}/corroborations": with_id(json!({"post": op("Record a check corroborating an address", "identification", Some("Check"), "201")})),
            "/referrals/{id}/corroboration": {"get": {
                "summary": "Whether an address is corroborated for this referral (required before enforcement there)", "tags": ["identification"],
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "address", "in": "query", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "`{address, corroborated, state, description}`"}, "404": {"$ref": "#/components/responses/Error"}}
            }},
            "/subjects/{id}": with_id(json!({"get": op("A subject: its referrals in the caller's scope, the reported person's identifiers that link them, and its links (404 when none of its referrals is in scope)", "subjects", None, "200")})),
            "/links/{id}/decision": with_id(json!({"post": ({ let mut o = op("Confirm (moving the referral to the link's subject) or reject a suggested link, with the reason; needs the right to assess the referral (409 when already decided)", "subjects", None, "200"); o["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["decision", "reason"], "properties": {"decision": {"enum": ["confirm", "reject"]}, "reason": {"type": "string", "minLength": 1}}}}}}); o })})),
            "/audit": {"get": {
                "summary": "The access log, newest first (data protection officer only)",
                "tags": ["audit"],
                "parameters": [
                    {"name": "outcome", "in": "query", "schema": {"enum": ["allowed", "denied"]}},
                    {"name": "user", "in": "query", "schema": {"type": "string"}},
                    {"name": "record", "in": "query", "schema": {"type": "string"}},
                    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                    {"name": "to", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                    {"name": "before", "in": "query", "schema": {"type": "integer"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 1000}}
                ],
                "responses": {"200": {"description": "`{items, next_before}`", "content": {"application/json": {"schema": {"type": "object"}}}}, "403": {"$ref": "#/components/responses/Error"}}
            }},
            "/stats": {"get": op("Aggregate figures per BCU, small numbers suppressed (no personal data)", "oversight", None, "200")},
            "/users": {
                "get": op("User accounts (admin only)", "admin", None, "200"),
                "post": op("Create a user account (admin only)", "admin", Some("NewUser"), "201")
            },
            "/openapi.json": {"get": {"security": [], "summary": "This document", "tags": ["meta"], "responses": {"200": {"description": "OpenAPI document"}}}}
        }
    })
}

/// `GET /openapi.json`.
pub async fn document() -> Json<Value> {
    Json(spec())
}
