package i18n

// uiAdmin holds the texts of the accounts, audit and account pages, {zh, en}.
var uiAdmin = map[string][2]string{}
