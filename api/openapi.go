package api

import (
	"net/http"
	"reflect"
	"regexp"
	"strings"

	"github.com/villagecounsel/counsel/server"
)

// OpenAPI builds the OpenAPI 3.0 document from the operation table, with
// schemas reflected from the Go types, so it cannot drift from the routes.
func (h *API) OpenAPI() map[string]any {
	schemas := map[string]any{}
	paths := map[string]map[string]any{}
	errorRef := schemaOf(reflect.TypeOf(server.ErrorBody{}), schemas)
	pathParam := regexp.MustCompile(`\{([a-z_]+)\}`)
	for _, o := range h.ops {
		p := o.Pattern
		item := paths[p]
		if item == nil {
			item = map[string]any{}
			paths[p] = item
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(p, -1) {
			typ := map[string]any{"type": "string"}
			if m[1] == "id" {
				typ = map[string]any{"type": "integer", "format": "int64"}
			}
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": typ})
		}
		for _, q := range o.Query {
			typ := map[string]any{"type": "string"}
			if q == "limit" || q == "offset" {
				typ = map[string]any{"type": "integer"}
			}
			params = append(params, map[string]any{"name": q, "in": "query", "required": false, "schema": typ})
		}
		status := "200"
		if o.Method == "POST" && o.Request != nil && !strings.HasSuffix(p, "/status") && !strings.HasPrefix(p, "/api/v1/imports") {
			status = "201"
		}
		errResp := map[string]any{"description": "error, message in the user's language", "content": map[string]any{"application/json": map[string]any{"schema": errorRef}}}
		opDoc := map[string]any{
			"operationId": o.Name,
			"summary":     o.Summary,
			"tags":        []string{o.Tag},
			"responses": map[string]any{
				status:    map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(o.Response), schemas)}}},
				"401":     errResp,
				"403":     errResp,
				"404":     errResp,
				"422":     errResp,
				"default": errResp,
			},
		}
		if params != nil {
			opDoc["parameters"] = params
		}
		switch req := o.Request.(type) {
		case nil:
		case string:
			opDoc["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}},
				"text/csv":            map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}},
				"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object", "properties": map[string]any{"file": map[string]any{"type": "string", "format": "binary"}}}},
			}}
		default:
			opDoc["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(req), schemas)}}}
		}
		item[strings.ToLower(o.Method)] = opDoc
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       "Village Counsel API (村(社区)法律顾问工作平台)",
			"version":     "1",
			"description": "JSON API of Village Counsel. Authenticate with a browser session (send X-CSRF-Token on changes) or an API token: Authorization: Bearer vc_…. Every list takes limit and offset. Errors carry a message in the account's language and per-field messages.",
		},
		"servers":    []any{map[string]any{"url": "/"}},
		"paths":      paths,
		"security":   []any{map[string]any{"bearer": []string{}}, map[string]any{"session": []string{}}},
		"components": map[string]any{"schemas": schemas, "securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}, "session": map[string]any{"type": "apiKey", "in": "cookie", "name": server.SessionCookie}}},
	}
}

func (h *API) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	OK(w, http.StatusOK, h.OpenAPI())
}

var genericName = regexp.MustCompile(`[^A-Za-z0-9]+`)

// keptSchemaNames keeps the published schema name of a generic type whose
// type argument moved to a feature package (the name spells the argument's
// package): clients generated from the document must not see a rename.
// testdata/openapi.golden.json fails the tests on any rename not listed here.
var keptSchemaNames = map[string]string{
	"List_internal_consult_Consultation": "List_store_Consultation",
	"List_internal_public_RegisterRow":   "List_store_RegisterRow",
	"List_internal_ledger_Duty":          "List_service_Duty",
}

// schemaOf returns a JSON schema for t, registering named structs under
// components/schemas and returning a $ref to them.
func schemaOf(t reflect.Type, schemas map[string]any) map[string]any {
	if t == nil {
		return map[string]any{}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return map[string]any{"type": "integer"}
	case reflect.Int64, reflect.Uint64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), schemas)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), schemas)}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := genericName.ReplaceAllString(t.Name(), "_")
		name = strings.Trim(strings.ReplaceAll(name, "github_com_villagecounsel_counsel_", ""), "_")
		if old, ok := keptSchemaNames[name]; ok {
			name = old
		}
		if name == "" {
			name = "Object"
		}
		ref := map[string]any{"$ref": "#/components/schemas/" + name}
		if _, done := schemas[name]; done {
			return ref
		}
		props := map[string]any{}
		schemas[name] = map[string]any{"type": "object", "properties": props}
		addFields(t, props, schemas)
		return ref
	}
	return map[string]any{}
}

func addFields(t reflect.Type, props map[string]any, schemas map[string]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				addFields(ft, props, schemas)
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		props[name] = schemaOf(f.Type, schemas)
	}
}
