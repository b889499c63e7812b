package i18n

// uiMajor holds the texts of the major area, {zh, en}.
var uiMajor = map[string][2]string{}
