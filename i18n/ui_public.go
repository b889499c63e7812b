package i18n

// uiPublic holds the texts of the public area, {zh, en}.
var uiPublic = map[string][2]string{}
