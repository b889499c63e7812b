package i18n

// uiLedger holds the texts of the ledger area, {zh, en}.
var uiLedger = map[string][2]string{}
