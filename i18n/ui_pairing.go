package i18n

// uiPairing holds the texts of 1+N, import and export pages, {zh, en}.
var uiPairing = map[string][2]string{}
