package clean

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/text/encoding/charmap"
)

const articleHTML = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Harbour wall repairs to take a year</title>
<meta property="og:site_name" content="Port Gazette"></head><body><nav><a href="/">Home</a></nav><article><h1>Harbour wall repairs to take a year</h1>
<p>The harbour authority said on Tuesday that repairs to the storm-damaged sea wall would take until the end of next year, longer than first hoped.</p>
<p>Engineers found that the foundations had been undermined along a stretch of about eighty metres, and will need to be rebuilt before the wall itself.</p>
<p>Fishing boats will continue to use the inner harbour while the work goes on, the authority said.</p></article></body></html>`

// newServer serves the scenarios the fetch tests use.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/article", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("X-Seen-UA", r.UserAgent())
		fmt.Fprint(w, articleHTML)
	})
	mux.HandleFunc("/ua", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "The server saw the user agent %s on this request and wrote it into the body of the page.", r.UserAgent())
	})
	mux.HandleFunc("/latin1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=ISO-8859-1")
		b, _ := charmap.ISO8859_1.NewEncoder().Bytes([]byte("The café on the quay reopened on Monday after the storm, its owner said, serving crème brûlée again."))
		w.Write(b)
	})
	mux.HandleFunc("/redirect/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		if n <= 0 {
			http.Redirect(w, r, "/article", http.StatusFound)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/redirect/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("/pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.7"))
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		chunk := []byte(strings.Repeat("filler text ", 1000))
		for range 20 { // 240 KB, streamed without Content-Length
			w.Write(chunk)
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/big-declared", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", "5000000")
		w.Write([]byte("start"))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body><p>The first part of the page arrives"))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // the rest never comes
	})
	mux.HandleFunc("/untyped", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil
		w.Write([]byte(articleHTML))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestFetch(t *testing.T) {
	srv := newServer(t)
	ctx := context.Background()

	in, err := Load(ctx, srv.URL+"/redirect/3", LoadOptions{})
	if err != nil {
		t.Fatalf("Load(3 redirects): %v", err)
	}
	if in.MediaType != MediaHTML || in.Charset != "utf-8" {
		t.Errorf("Load(article) = %q %q, want text/html utf-8", in.MediaType, in.Charset)
	}
	art, err := Clean(in, Options{})
	if err != nil {
		t.Fatalf("Clean(fetched article): %v", err)
	}
	if art.Title != "Harbour wall repairs to take a year" || art.SiteName != "Port Gazette" || !strings.Contains(art.Body, "inner harbour") {
		t.Errorf("Clean(fetched article) = %+v", art)
	}

	in, err = Load(ctx, srv.URL+"/latin1", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if in.Charset != "windows-1252" { // WHATWG: ISO-8859-1 is decoded as windows-1252
		t.Errorf("Load(latin1) charset = %q, want windows-1252", in.Charset)
	}
	if art, err := Clean(in, Options{}); err != nil || !strings.Contains(art.Body, "café on the quay") || !strings.Contains(art.Body, "crème brûlée") {
		t.Errorf("Clean(latin1 by header) = %q, %v", art.Body, err)
	}

	in, err = Load(ctx, srv.URL+"/ua", LoadOptions{})
	if err != nil || !strings.Contains(string(in.Data), "user agent summarize/dev ") {
		t.Errorf("default User-Agent: %q, %v", in.Data, err)
	}
	in, err = Load(ctx, srv.URL+"/ua", LoadOptions{UserAgent: "tester/1.0"})
	if err != nil || !strings.Contains(string(in.Data), "user agent tester/1.0 ") {
		t.Errorf("custom User-Agent: %q, %v", in.Data, err)
	}

	in, err = Load(ctx, srv.URL+"/untyped", LoadOptions{})
	if err != nil || in.MediaType != MediaHTML {
		t.Errorf("Load(no Content-Type) = %q, %v; want sniffed text/html", in.MediaType, err)
	}
}

func TestFetchErrors(t *testing.T) {
	srv := newServer(t)
	host := strings.TrimPrefix(srv.URL, "http://")
	tests := []struct {
		name string
		url  string
		opts LoadOptions
		kind error
		msg  string
	}{
		{"404", srv.URL + "/missing", LoadOptions{}, ErrFetch, "fetch " + srv.URL + "/missing: HTTP 404 Not Found"},
		{"too many redirects", srv.URL + "/redirect/6", LoadOptions{}, ErrFetch, ": more than 5 redirects"},
		{"redirect limit option", srv.URL + "/redirect/2", LoadOptions{MaxRedirects: 1}, ErrFetch, ": more than 1 redirects"},
		{"content type", srv.URL + "/pdf", LoadOptions{}, ErrFetch, "/pdf: content type application/pdf is not text or HTML"},
		{"oversize streamed", srv.URL + "/big", LoadOptions{MaxBytes: 100 << 10}, ErrTooLarge, "/big: body exceeds 100 KiB"},
		{"oversize declared", srv.URL + "/big-declared", LoadOptions{MaxBytes: 1 << 20}, ErrTooLarge, "body of 4.8 MiB exceeds 1 MiB"},
		{"timeout", srv.URL + "/slow", LoadOptions{Timeout: 100 * time.Millisecond}, ErrFetch, "/slow: timed out after 100ms"},
		{"userinfo stripped", "http://reader:hunter2@" + host + "/missing?token=abc", LoadOptions{}, ErrFetch, "fetch http://" + host + "/missing?token=REDACTED: HTTP 404"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(context.Background(), tc.url, tc.opts)
			if !errors.Is(err, tc.kind) {
				t.Fatalf("Load(%s) error = %v, want kind %v", tc.url, err, tc.kind)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("Load(%s) error = %q, want it to contain %q", tc.url, err, tc.msg)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("Load error leaks the password: %q", err)
			}
		})
	}

	// A closed port: the error says the connection failed.
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	if _, err := Load(context.Background(), closedURL+"/a", LoadOptions{}); !errors.Is(err, ErrFetch) || !strings.Contains(err.Error(), "cannot connect") {
		t.Errorf("Load(closed port) error = %v", err)
	}

	// The caller's cancellation is not reported as our timeout.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Load(ctx, srv.URL+"/article", LoadOptions{}); !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "canceled") {
		t.Errorf("Load(canceled ctx) error = %v", err)
	}
}

// blockingTransport answers every request with headers and a body that
// never delivers a byte until the request is canceled.
type blockingTransport struct{}

func (blockingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: 200, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"text/html"}},
		Body:    blockingBody{req.Context()},
		Request: req,
	}, nil
}

type blockingBody struct{ ctx context.Context }

func (b blockingBody) Read([]byte) (int, error) {
	<-b.ctx.Done()
	return 0, b.ctx.Err()
}

func (blockingBody) Close() error { return nil }

// TestFetchDefaultTimeout runs the default 30s timeout on a fake clock.
func TestFetchDefaultTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		_, err := Load(context.Background(), "https://news.example/slow", LoadOptions{HTTPClient: &http.Client{Transport: blockingTransport{}}})
		if !errors.Is(err, ErrFetch) || err.Error() != "fetch https://news.example/slow: timed out after 30s" {
			t.Errorf("Load(slow) error = %v", err)
		}
		if errors.Is(err, context.DeadlineExceeded) == false {
			t.Errorf("Load(slow) error %v does not wrap context.DeadlineExceeded", err)
		}
		if got := time.Since(start); got != 30*time.Second {
			t.Errorf("Load(slow) gave up after %v, want 30s", got)
		}
	})
}
