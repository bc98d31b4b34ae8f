//! The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`. Written out as
//! data next to the handlers it describes; a test validates it with a standard validator and
//! checks every route of the router appears in it.

use axum::Json;
use serde_json::{Value, json};

fn problem_responses(codes: &[&str]) -> Value {
    let mut m = serde_json::Map::new();
    for c in codes {
        m.insert(
            (*c).to_owned(),
            json!({"description": "A problem (RFC 9457), with the paragraph of the law when the law refuses", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}),
        );
    }
    Value::Object(m)
}

fn merge(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Object(mut x), Value::Object(y)) => {
            x.extend(y);
            Value::Object(x)
        }
        (a, _) => a,
    }
}

fn ok(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

/// The document.
pub fn spec() -> Value {
    let idem = json!({"name": "Idempotency-Key", "in": "header", "required": false, "description": "Retrying a request with the same key returns the first answer and writes nothing new", "schema": {"type": "string", "maxLength": 200}});
    let if_match = json!({"name": "If-Match", "in": "header", "required": false, "description": "The case's ETag (\"v3\"): refused with 412 if someone changed it meanwhile", "schema": {"type": "string"}});
    let number = json!({"name": "number", "in": "path", "required": true, "schema": {"type": "string"}});
    let lang = json!({"name": "Accept-Language", "in": "header", "required": false, "description": "kk, ru or en: the language of messages", "schema": {"type": "string"}});
    let bearer = json!([{"session": []}]);
    let application = json!({"get": {"operationId": "getApplicationToSign", "summary": "The application's canonical bytes (compact JSON of the application as filed), which the applicant signs", "security": bearer, "parameters": [number],
        "responses": merge(json!({"200": ok("The bytes to sign", json!({"type": "object", "additionalProperties": true}))}), problem_responses(&["401", "404"]))}});
    let application_signature = json!({"put": {"operationId": "signApplication", "summary": "The applicant's detached CMS signature (DER) over the application's canonical bytes; its certificate must name the applicant's IIN (App.2 item 10.2)", "security": bearer, "parameters": [number, lang],
        "requestBody": {"required": true, "content": {"application/pkcs7-signature": {"schema": {"type": "string", "format": "binary"}}}},
        "responses": merge(json!({"201": ok("Kept", json!({"type": "object", "required": ["case", "signer", "sha256", "new"], "properties": {"case": {"type": "string"}, "signer": {"type": "string"}, "sha256": {"type": "string"}, "new": {"type": "boolean"}}})), "200": ok("Received before", json!({"type": "object", "additionalProperties": true}))}), problem_responses(&["401", "403", "404", "422", "503"]))}});
    let certificate_files = json!({"get": {"operationId": "getCertificateFile", "summary": "The certificate's signed PDF or its detached signature, for the holder and the akimat's staff: name is kk.pdf, ru.pdf, duplicate-kk.pdf … with .p7s for the signature", "security": bearer,
        "parameters": [number, {"name": "name", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^(duplicate-)?(kk|ru)\\.pdf(\\.p7s)?$"}}],
        "responses": merge(json!({"200": {"description": "The PDF (application/pdf) or the signature (application/pkcs7-signature, DER)", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}, "application/pkcs7-signature": {"schema": {"type": "string", "format": "binary"}}}}}), problem_responses(&["401", "404", "503"]))}});
    let form_lang =
        json!({"name": "lang", "in": "path", "required": true, "schema": {"type": "string", "enum": ["kk", "ru"]}});
    let minutes = json!({"get": {"operationId": "getMinutes", "summary": "The Commission's minutes as kept (PDF): the bytes a member present signs", "security": bearer, "parameters": [number, form_lang],
        "responses": merge(json!({"200": {"description": "The PDF", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}), problem_responses(&["401", "404"]))}});
    let minutes_signature = json!({"put": {"operationId": "signMinutes", "summary": "A Commission member present signs the minutes with their own EDS: a detached CMS signature (DER) over the PDF; the certificate must name them (IIN or name). A signed place is never overwritten", "security": bearer, "parameters": [number, form_lang, lang],
        "requestBody": {"required": true, "content": {"application/pkcs7-signature": {"schema": {"type": "string", "format": "binary"}}}},
        "responses": merge(json!({"201": ok("Kept", json!({"type": "object", "additionalProperties": true})), "200": ok("Received before", json!({"type": "object", "additionalProperties": true}))}), problem_responses(&["401", "403", "404", "409", "422"]))}});
    let link_code = json!({"name": "t", "in": "query", "required": false, "description": "The code from the certificate's QR link; the answer's link_matches says whether it belongs to this number", "schema": {"type": "string"}});
    let signatures = json!({"post": {"operationId": "verifySignature", "summary": "Check a document (e.g. a certificate's PDF) against its detached CMS signature and the service's trust roots", "parameters": [lang],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["document", "signature"], "properties": {"document": {"type": "string", "contentEncoding": "base64"}, "signature": {"type": "string", "contentEncoding": "base64", "description": "DER, as in the .p7s file"}}}}}},
                "responses": merge(json!({"200": ok("What the check found", json!({"type": "object", "required": ["genuine", "signers", "message"], "properties": {"genuine": {"type": "boolean"}, "signers": {"type": "array", "items": {"type": "string"}}, "message": {"type": "string"}, "certificate": {"$ref": "#/components/schemas/CertificateView"}}}))}), problem_responses(&["400", "429", "503"]))}});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "qualcert API",
            "version": "1.0.0",
            "description": "Certificates of qualification conformity for self-employment (Republic of Kazakhstan, order No. 236 as amended by No. 426). Every refusal carries the paragraph of the law it applies."
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {"session": {"type": "http", "scheme": "bearer", "description": "A token from POST /api/v1/sessions"}},
            "schemas": {
                "Problem": {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
                    "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                    "detail": {"type": "string"}, "citation": {"type": "string", "description": "The paragraph applied, e.g. App.2 item 9.2"}}},
                "Credentials": {"type": "object", "required": ["login", "password"], "properties": {"login": {"type": "string"}, "password": {"type": "string"}}},
                "SessionToken": {"type": "object", "required": ["token", "role", "expires_in"], "properties": {"token": {"type": "string"}, "role": {"type": "string"}, "expires_in": {"type": "integer"}}},
                "Uploaded": {"type": "object", "required": ["sha256", "size", "media_type"], "properties": {"sha256": {"type": "string"}, "size": {"type": "integer"}, "media_type": {"type": "string"}}},
                "Applied": {"type": "object", "required": ["stream", "number", "version", "events", "last_seq", "replayed"], "properties": {
                    "stream": {"type": "string"}, "number": {"type": "string"}, "version": {"type": "integer"},
                    "events": {"type": "array", "items": {"type": "string"}}, "last_seq": {"type": "integer"}, "replayed": {"type": "boolean"}}},
                "Application": {"type": "object", "description": "The application of App.1 with its documents (App.2 item 8)", "required": ["akimat", "service", "applicant", "contact", "consent", "documents"], "properties": {
                    "akimat": {"type": "string"}, "service": {"type": "object"}, "applicant": {"type": "object"}, "representative": {"type": ["object", "null"]},
                    "contact": {"type": "object"}, "profession": {"type": ["string", "null"]}, "sector": {"type": ["string", "null"]}, "employer": {"type": ["object", "null"]},
                    "contract_end": {"type": ["string", "null"], "format": "date"}, "contract_open_ended": {"type": "boolean", "description": "The employment contract has no end date (Rules §16: the 3-year cap applies alone)"}, "certificate": {"type": ["string", "null"]}, "event_date": {"type": ["string", "null"], "format": "date"},
                    "consent": {"type": "boolean"}, "documents": {"type": "array", "items": {"type": "object", "required": ["kind", "sha256", "file_name"], "properties": {"kind": {"type": "string", "enum": ["identity-document", "education-translation", "english-teaching-certificate", "labour-activity-record", "previous-certificate", "employment-contract", "changed-identity-document", "power-of-attorney"], "description": "power-of-attorney is required when a representative files (Rules §3)"}, "sha256": {"type": "string"}, "file_name": {"type": "string"}, "valid_until": {"type": ["string", "null"], "format": "date", "description": "The document's last valid day: an expired identity document makes the application not accepted (App.2 item 9)"}}}}}},
                "CaseAction": {"type": "object", "required": ["action"], "properties": {"action": {"type": "string", "enum": ["register", "not-accept", "forward", "record-decision", "issue", "extend", "reissue", "issue-duplicate", "refuse"]}, "missing": {"type": "array", "items": {"type": "string"}, "description": "not-accept: the checklist items (App.2 item 8) found missing"}, "expired": {"type": "array", "items": {"type": "string"}, "description": "not-accept: the documents found expired"}}, "additionalProperties": true},
                "Case": {"type": "object", "description": "A case: its application, state, version, due dates and results", "additionalProperties": true},
                "CaseStatus": {"type": "object", "additionalProperties": true},
                "CertificateView": {"type": "object", "additionalProperties": true},
                "QueueRow": {"type": "object", "required": ["number", "service", "state", "due_on", "overdue"], "properties": {
                    "number": {"type": "string"}, "service": {"type": "string"}, "state": {"type": "string"}, "due_on": {"type": "string", "format": "date"},
                    "overdue": {"type": "boolean"}, "late_filing": {"type": "boolean"}}},
                "Listing": {"type": "object", "required": ["items", "limit", "offset"], "properties": {
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/QueueRow"}}, "limit": {"type": "integer"}, "offset": {"type": "integer"}, "next_offset": {"type": ["integer", "null"]}}},
                "CalculatorRequest": {"type": "object", "required": ["answers"], "properties": {"answers": {"type": "object", "additionalProperties": true}}},
                "Assessment": {"type": "object", "additionalProperties": true}
            }
        },
        "paths": {
            "/healthz": {"get": {"operationId": "health", "summary": "The process answers", "responses": {"200": {"description": "ok", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
            "/readyz": {"get": {"operationId": "ready", "summary": "The database answers", "responses": merge(json!({"200": {"description": "ready", "content": {"text/plain": {"schema": {"type": "string"}}}}}), problem_responses(&["503"]))}},
            "/api/v1/openapi.json": {"get": {"operationId": "openapi", "summary": "This document", "responses": {"200": ok("The OpenAPI document", json!({"type": "object"}))}}},
            "/api/v1/calculator": {"post": {"operationId": "calculate", "summary": "Self-assessment with the Commission's engine (R4.5)", "parameters": [lang],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CalculatorRequest"}}}},
                "responses": merge(json!({"200": ok("The breakdown", json!({"$ref": "#/components/schemas/Assessment"}))}), problem_responses(&["422", "503"]))}},
            "/api/v1/status": {"post": {"operationId": "status", "summary": "Status of an application by case and identity document number (R3.8)", "parameters": [lang],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["case", "document"], "properties": {"case": {"type": "string"}, "document": {"type": "string"}}}}}},
                "responses": merge(json!({"200": ok("The status", json!({"$ref": "#/components/schemas/CaseStatus"}))}), problem_responses(&["400", "404", "503"]))}},
            "/api/v1/certificates/{number}": {"get": {"operationId": "verifyCertificate", "summary": "Verify a certificate: genuine, status, holder masked", "parameters": [number, lang, link_code],
                "responses": merge(json!({"200": ok("The certificate", json!({"$ref": "#/components/schemas/CertificateView"}))}), problem_responses(&["400", "404", "503"]))}},
            "/api/v1/signatures/verify": signatures,
            "/api/v1/certificates/{number}/files/{name}": certificate_files,
            "/api/v1/cases/{number}/application": application,
            "/api/v1/cases/{number}/minutes/{lang}": minutes,
            "/api/v1/cases/{number}/minutes/{lang}/signature": minutes_signature,
            "/api/v1/cases/{number}/application/signature": application_signature,
            "/api/v1/sessions": {"post": {"operationId": "login", "summary": "Log in; returns a bearer token",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Credentials"}}}},
                "responses": merge(json!({"201": ok("A session", json!({"$ref": "#/components/schemas/SessionToken"}))}), problem_responses(&["401", "503"]))}},
            "/api/v1/documents": {"post": {"operationId": "uploadDocument", "summary": "Upload a document (PDF, PNG, JPEG; judged by content)", "security": bearer,
                "requestBody": {"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                "responses": merge(json!({"201": ok("Stored", json!({"$ref": "#/components/schemas/Uploaded"}))}), problem_responses(&["401", "403", "422"]))}},
            "/api/v1/applications": {"post": {"operationId": "submitApplication", "summary": "File an application (R3.1); acknowledged once durable", "security": bearer, "parameters": [idem, lang],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Application"}}}},
                "responses": merge(json!({"201": ok("Filed", json!({"$ref": "#/components/schemas/Applied"})), "200": ok("The first answer to this Idempotency-Key", json!({"$ref": "#/components/schemas/Applied"}))}), problem_responses(&["401", "422", "503"]))}},
            "/api/v1/cases/{number}": {"get": {"operationId": "getCase", "summary": "A case, with its version as ETag", "security": bearer, "parameters": [number],
                "responses": merge(json!({"200": ok("The case", json!({"$ref": "#/components/schemas/Case"}))}), problem_responses(&["401", "404"]))}},
            "/api/v1/cases/{number}/actions": {"post": {"operationId": "actOnCase", "summary": "Act on a case (register, forward, decide, issue, refuse …)", "security": bearer, "parameters": [number, if_match, idem, lang],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CaseAction"}}}},
                "responses": merge(json!({"200": ok("Applied", json!({"$ref": "#/components/schemas/Applied"}))}), problem_responses(&["400", "401", "404", "412", "422", "503"]))}},
            "/api/v1/certificates/{number}/actions": {"post": {"operationId": "actOnCertificate", "summary": "Revoke under a control act (officer, Rules §21) or notify a new employer / the end of the contract (holder, Rules §18, §20)", "security": bearer, "parameters": [number, idem, lang],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["command"], "properties": {"command": {"type": "string", "enum": ["revoke", "notify-new-employer", "notify-contract-end"]}}, "additionalProperties": true}}}},
                "responses": merge(json!({"200": ok("Applied", json!({"$ref": "#/components/schemas/Applied"}))}), problem_responses(&["401", "403", "404", "422", "503"]))}},
            "/api/v1/complaints": {"post": {"operationId": "fileComplaint", "summary": "File a complaint (Rules §24, §25)", "security": bearer, "parameters": [idem, lang],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["akimat", "complainant", "target", "route", "text"], "properties": {"route": {"type": "string", "enum": ["to-akimat", "to-reviewing-body"]}, "body": {"type": "string", "enum": ["quality-authority", "higher-body", "official"], "default": "quality-authority", "description": "The reviewing body on the route through the akimat (Rules §24 para 1); its term is in the rule set"}}, "additionalProperties": true}}}},
                "responses": merge(json!({"201": ok("Filed", json!({"$ref": "#/components/schemas/Applied"}))}), problem_responses(&["401", "422", "503"]))}},
            "/api/v1/complaints/{number}": {"get": {"operationId": "getComplaint", "summary": "A complaint, with its version as ETag", "security": bearer, "parameters": [number],
                "responses": merge(json!({"200": ok("The complaint", json!({"type": "object", "additionalProperties": true}))}), problem_responses(&["401", "404"]))}},
            "/api/v1/complaints/{number}/actions": {"post": {"operationId": "actOnComplaint", "summary": "Forward, satisfy in full, or decide a complaint", "security": bearer, "parameters": [number, if_match, idem, lang],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["command"], "properties": {"command": {"type": "string", "enum": ["forward", "satisfy", "decide"]}}, "additionalProperties": true}}}},
                "responses": merge(json!({"200": ok("Applied", json!({"$ref": "#/components/schemas/Applied"}))}), problem_responses(&["400", "401", "404", "412", "422", "503"]))}},
            "/api/v1/queue": {"get": {"operationId": "queue", "summary": "The officer's queue by due date", "security": bearer,
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}}, {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}}],
                "responses": merge(json!({"200": ok("A page", json!({"$ref": "#/components/schemas/Listing"}))}), problem_responses(&["401", "403"]))}}
        }
    })
}

pub(crate) async fn document() -> Json<Value> {
    Json(spec())
}
