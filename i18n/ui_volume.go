package i18n

// uiVolume holds the texts of the volume area, {zh, en}.
var uiVolume = map[string][2]string{}
