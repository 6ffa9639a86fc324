#include "api/openapi_document.hpp"

namespace voxgate::api {
namespace {

// Kept as the JSON it is served as, so it reads like any OpenAPI file.
constexpr const char* kDocument = R"json({
  "openapi": "3.0.3",
  "info": {
    "title": "voxgate control API",
    "version": "1",
    "description": "Sessions, events, CDRs and operations of a voxgate gateway (docs/API.md). Every error is {code, message, details}."
  },
  "components": {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    "parameters": {
      "id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
      "state": {"name": "state", "in": "query", "schema": {"type": "string"}, "description": "comma-separated states: initializing, dialing, ringing, early, connected, on_hold, transferring, terminating, terminated"},
      "direction": {"name": "direction", "in": "query", "schema": {"type": "string", "enum": ["inbound", "outbound"]}},
      "from": {"name": "from", "in": "query", "schema": {"type": "string"}, "description": "substring of the caller's URI"},
      "to": {"name": "to", "in": "query", "schema": {"type": "string"}, "description": "substring of the callee's URI"},
      "meta": {"name": "meta", "in": "query", "style": "deepObject", "explode": true, "schema": {"type": "object", "additionalProperties": {"type": "string"}}, "description": "meta.<key>=<value>, all must hold"},
      "created_after": {"name": "created_after", "in": "query", "schema": {"type": "string", "format": "date-time"}},
      "created_before": {"name": "created_before", "in": "query", "schema": {"type": "string", "format": "date-time"}},
      "limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}},
      "cursor": {"name": "cursor", "in": "query", "schema": {"type": "string"}}
    },
    "schemas": {
      "Error": {"type": "object", "required": ["code", "message", "details"], "properties": {
        "code": {"type": "string", "enum": ["INVALID_ARGUMENT", "UNAUTHORIZED", "NOT_FOUND", "SESSION_NOT_FOUND", "METHOD_NOT_ALLOWED", "INVALID_STATE", "CONFLICT", "PAYLOAD_TOO_LARGE", "UNSUPPORTED", "LIMIT_EXCEEDED", "INTERNAL", "UNAVAILABLE", "TIMEOUT"]},
        "message": {"type": "string"}, "details": {"type": "object"}}},
      "Party": {"type": "object", "properties": {"uri": {"type": "string"}, "display_name": {"type": "string"}}},
      "Session": {"type": "object", "properties": {
        "id": {"type": "string"}, "call_id": {"type": "string"}, "direction": {"type": "string"},
        "state": {"type": "string"}, "media_state": {"type": "string"},
        "local": {"$ref": "#/components/schemas/Party"}, "remote": {"$ref": "#/components/schemas/Party"},
        "from": {"type": "string"}, "to": {"type": "string"},
        "created": {"type": "string", "format": "date-time"}, "answered": {"type": "string", "nullable": true}, "ended": {"type": "string", "nullable": true},
        "end": {"type": "object", "nullable": true}, "media": {"type": "object", "nullable": true},
        "metadata": {"type": "object", "additionalProperties": {"type": "string"}}, "version": {"type": "integer"}}},
      "SessionPage": {"type": "object", "properties": {"sessions": {"type": "array", "items": {"$ref": "#/components/schemas/Session"}}, "next_cursor": {"type": "string", "nullable": true}}},
      "MediaApp": {"oneOf": [{"type": "string", "enum": ["echo", "tone", "silence", "play", "record", "bot"]},
        {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "tone_hz": {"type": "number"}, "file": {"type": "string"}, "loop": {"type": "boolean"},
          "profile": {"type": "string", "description": "app bot (answer only): a [bots.<name>] profile; none: [bot]"}}}]},
      "Originate": {"type": "object", "required": ["target"], "properties": {
        "target": {"type": "string", "example": "sip:bob@127.0.0.1:5062"}, "from": {"type": "string"},
        "app": {"$ref": "#/components/schemas/MediaApp"}, "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
        "timeout_ms": {"type": "integer"}}},
      "Cdr": {"type": "object", "properties": {"id": {"type": "string"}, "session_id": {"type": "string"}, "call_id": {"type": "string"},
        "direction": {"type": "string"}, "from": {"type": "string"}, "to": {"type": "string"}, "created": {"type": "string"},
        "answered": {"type": "string", "nullable": true}, "ended": {"type": "string"}, "duration_seconds": {"type": "number"},
        "ended_by": {"type": "string"}, "sip_status": {"type": "integer"}, "reason": {"type": "string"}, "cause": {"type": "string"},
        "codec": {"type": "string"}, "remote_rtp": {"type": "string"}, "rtp": {"type": "object"}, "metadata": {"type": "object"}}}
    },
    "responses": {
      "Error": {"description": "an error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Session": {"description": "the session", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}}}
    }
  },
  "security": [{"bearer": []}],
  "paths": {
    "/v1/sessions": {
      "get": {"summary": "List sessions", "parameters": [
          {"$ref": "#/components/parameters/state"}, {"$ref": "#/components/parameters/direction"},
          {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"},
          {"$ref": "#/components/parameters/meta"}, {"$ref": "#/components/parameters/created_after"},
          {"$ref": "#/components/parameters/created_before"}, {"$ref": "#/components/parameters/limit"},
          {"$ref": "#/components/parameters/cursor"}],
        "responses": {"200": {"description": "a page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SessionPage"}}}},
          "400": {"$ref": "#/components/responses/Error"}}},
      "post": {"summary": "Originate a call", "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Originate"}}}},
        "responses": {"201": {"$ref": "#/components/responses/Session"}, "400": {"$ref": "#/components/responses/Error"}, "503": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/sessions/{id}": {
      "parameters": [{"$ref": "#/components/parameters/id"}],
      "get": {"summary": "One session", "responses": {"200": {"$ref": "#/components/responses/Session"}, "404": {"$ref": "#/components/responses/Error"}}},
      "patch": {"summary": "Update metadata (null removes a key) and/or change state to on_hold, connected or terminated",
        "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
          "metadata": {"type": "object", "additionalProperties": {"type": "string", "nullable": true}},
          "state": {"type": "string", "enum": ["on_hold", "connected", "terminated"]}}}}}},
        "responses": {"200": {"$ref": "#/components/responses/Session"}, "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}}},
      "delete": {"summary": "Hang up", "parameters": [{"name": "reason", "in": "query", "schema": {"type": "string"}, "description": "a Reason header value (RFC 3326)"}],
        "responses": {"204": {"description": "hanging up"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/sessions/{id}/{action}": {
      "parameters": [{"$ref": "#/components/parameters/id"},
        {"name": "action", "in": "path", "required": true, "schema": {"type": "string", "enum": ["answer", "reject", "hold", "resume", "dtmf", "play", "record", "app", "stream", "transfer", "say"]}}],
      "post": {"summary": "Act on a session (transfer: a blind transfer, REFER, answered 202; its outcome comes as call.transfer_* events)", "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
          "app": {"$ref": "#/components/schemas/MediaApp"}, "status": {"type": "integer"}, "reason": {"type": "string"},
          "digits": {"type": "string"}, "file": {"type": "string"}, "loop": {"type": "boolean"},
          "url": {"type": "string", "description": "stream: the bot's ws:// or tcp:// URL"},
          "profile": {"type": "string", "enum": ["twilio", "l16", "audiosocket"]},
          "parameters": {"type": "object", "additionalProperties": {"type": "string"}},
          "target": {"type": "string", "description": "transfer: the sip: or sips: URI the caller is sent to (Refer-To)"},
          "text": {"type": "string", "description": "say: what the voice bot says (1-2000 characters), answered 202 {handle}; bot.said tells how it ended"},
          "handle": {"type": "string", "description": "say: names it (1-64 of A-Z a-z 0-9 . _ -); default say-<n>"}}}}}},
        "responses": {"200": {"$ref": "#/components/responses/Session"}, "202": {"$ref": "#/components/responses/Session"}, "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
          "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/sessions/{id}/say/{handle}": {
      "parameters": [{"$ref": "#/components/parameters/id"}, {"name": "handle", "in": "path", "required": true, "schema": {"type": "string"}}],
      "delete": {"summary": "Stop a say under way: the bot's speech is flushed at once; bot.said says cancelled",
        "responses": {"202": {"description": "cancelling"}, "404": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/cdrs": {
      "get": {"summary": "Call detail records", "parameters": [
          {"$ref": "#/components/parameters/direction"}, {"name": "party", "in": "query", "schema": {"type": "string"}},
          {"name": "session_id", "in": "query", "schema": {"type": "string"}}, {"name": "call_id", "in": "query", "schema": {"type": "string"}},
          {"name": "ended_by", "in": "query", "schema": {"type": "string", "enum": ["local", "remote", "system"]}},
          {"name": "sip_status", "in": "query", "schema": {"type": "integer"}},
          {"$ref": "#/components/parameters/meta"}, {"$ref": "#/components/parameters/created_after"},
          {"$ref": "#/components/parameters/created_before"}, {"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/cursor"}],
        "responses": {"200": {"description": "a page", "content": {"application/json": {"schema": {"type": "object", "properties": {
          "cdrs": {"type": "array", "items": {"$ref": "#/components/schemas/Cdr"}}, "next_cursor": {"type": "string", "nullable": true}}}}}},
          "400": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/events": {
      "get": {"summary": "WebSocket stream of session and call events (upgrade required)", "parameters": [
          {"$ref": "#/components/parameters/state"}, {"$ref": "#/components/parameters/direction"},
          {"$ref": "#/components/parameters/from"}, {"$ref": "#/components/parameters/to"}, {"$ref": "#/components/parameters/meta"},
          {"name": "cursor", "in": "query", "schema": {"type": "integer"}, "description": "the seq of the last event received; 0 for everything retained"}],
        "responses": {"101": {"description": "switching to WebSocket: one JSON event per text frame"}, "426": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3 JSON"}}}},
    "/healthz": {"get": {"summary": "Liveness", "security": [], "responses": {"200": {"description": "alive"}}}},
    "/readyz": {"get": {"summary": "Readiness: 503 while draining", "security": [], "responses": {"200": {"description": "ready"}, "503": {"description": "draining"}}}},
    "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text exposition 0.0.4"}}}}
  }
})json";

}  // namespace

const std::string& openapi_document() {
  static const std::string document(kDocument);
  return document;
}

}  // namespace voxgate::api
