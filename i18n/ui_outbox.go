package i18n

// uiOutbox holds the texts of the outbox area, {zh, en}.
var uiOutbox = map[string][2]string{
	// Errors.
	"err.ob_jurisdiction":  {"渠道只能配置在省、市或区县一级（12位行政区划代码）", "Channels are configured for a province, city or county (12-digit division code)"},
	"err.ob_roles":         {"请至少选择一类接收人", "Choose at least one kind of recipient"},
	"err.ob_url":           {"须为 http:// 或 https:// 开头的机器人 Webhook 地址", "Must be a robot webhook address starting with http:// or https://"},
	"err.ob_not_retryable": {"该消息已发送或正在发送，不能重试", "This message was sent or is being sent; it cannot be retried"},
	"ob.test_title":        {"测试消息", "Test message"},
	"ob.test_text":         {"这是一条来自「%v」渠道的测试消息。发送时间 %v，操作人 %v。收到即说明配置正确。", "This is a test message of the channel \"%v\", sent %v by %v. If it arrives, the channel works."},
}
