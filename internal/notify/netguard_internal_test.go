package notify

import (
	"net/http"
	"testing"
	"time"
)

// The webhook client never takes HTTP(S)_PROXY from the environment (a proxy
// would dial the target itself, past the guard), follows no redirect and
// dials through the guard.
func TestWebhookClientNoProxyNoRedirect(t *testing.T) {
	c := webhookClient(time.Second, nil)
	tr, ok := c.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport %T, want *http.Transport", c.Transport)
	}
	if tr.Proxy != nil {
		t.Error("the webhook transport uses a proxy function")
	}
	if tr.DialContext == nil {
		t.Error("the webhook transport dials without the guard")
	}
	if c.CheckRedirect == nil || c.CheckRedirect(nil, nil) == nil {
		t.Error("the webhook client follows redirects")
	}
	if err := guardControl(nil)("tcp4", "127.0.0.1:80", nil); err == nil {
		t.Error("guard admits 127.0.0.1")
	}
	if err := guardControl(nil)("tcp6", "[::ffff:169.254.169.254]:80", nil); err == nil {
		t.Error("guard admits mapped metadata address")
	}
	if err := guardControl(nil)("tcp4", "14.215.177.39:443", nil); err != nil {
		t.Errorf("guard refuses a public address: %v", err)
	}
}
