package i18n

// uiOutbox holds the texts of the outbox area, {zh, en}.
var uiOutbox = map[string][2]string{}
