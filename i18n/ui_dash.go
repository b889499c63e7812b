package i18n

// uiDash holds the texts of the dash area, {zh, en}.
var uiDash = map[string][2]string{}
