package main

import (
	"flag"
	"io"
	"slices"
	"testing"
)

// The robots' hosts are always allowed; -webhook-hosts and
// COUNSEL_WEBHOOK_HOSTS add more (the flag wins over the variable).
func TestWebhookHostsConfig(t *testing.T) {
	load := func(args []string, env map[string]string) []string {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		c, err := loadConfig(fs, args, func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		return c.WebhookHosts
	}
	if got := load(nil, nil); !slices.Equal(got, []string{"qyapi.weixin.qq.com", "oapi.dingtalk.com"}) {
		t.Errorf("default hosts %v", got)
	}
	if got := load(nil, map[string]string{"COUNSEL_WEBHOOK_HOSTS": "Robot.County.gov.cn, relay.example.cn"}); !slices.Equal(got, []string{"qyapi.weixin.qq.com", "oapi.dingtalk.com", "robot.county.gov.cn", "relay.example.cn"}) {
		t.Errorf("env hosts %v", got)
	}
	if got := load([]string{"-webhook-hosts", "a.example.cn"}, map[string]string{"COUNSEL_WEBHOOK_HOSTS": "b.example.cn"}); !slices.Equal(got, []string{"qyapi.weixin.qq.com", "oapi.dingtalk.com", "a.example.cn"}) {
		t.Errorf("flag hosts %v", got)
	}
}
