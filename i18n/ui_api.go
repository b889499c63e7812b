package i18n

// uiAPI holds the texts of the JSON API and OpenAPI document, {zh, en}.
var uiAPI = map[string][2]string{}
