package i18n

// uiRegistry holds the texts of regions, providers, advisors and agreements pages, {zh, en}.
var uiRegistry = map[string][2]string{}
