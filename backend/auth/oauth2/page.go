package oauth2

import (
	"html/template"
	"net/http"
)

// page is what the browser shows after the redirect. It is self-contained
// (no scripts, images or external styles; the listener's CSP allows only
// inline style) and escapes everything it prints: the message may quote the
// provider's error_description, which came in through the URL.
var page = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · Patchbay</title>
<style>
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; min-height: 100vh;
         display: grid; place-items: center; background: #f4f5f7; color: #1d2330; }
  main { max-width: 32rem; margin: 1.5rem; padding: 2rem 2.25rem; background: #fff; border-radius: 12px;
         box-shadow: 0 1px 3px rgba(0,0,0,.12); border-top: 6px solid {{if .OK}}#1f9d55{{else}}#c53030{{end}}; }
  h1 { font-size: 1.35rem; margin: 0 0 .75rem; }
  p { margin: 0; }
  .brand { font-size: .85rem; color: #5b6474; margin-bottom: .5rem; letter-spacing: .02em; }
  @media (prefers-color-scheme: dark) {
    body { background: #14171d; color: #e6e9ef; } main { background: #1d2129; box-shadow: none; }
    .brand { color: #9aa3b2; }
  }
</style>
</head>
<body>
<main role="{{if .OK}}status{{else}}alert{{end}}">
  <div class="brand">Patchbay</div>
  <h1>{{.Title}}</h1>
  <p>{{.Message}}</p>
</main>
</body>
</html>
`))

func writePage(w http.ResponseWriter, status int, ok bool, title, message string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = page.Execute(w, struct {
		OK             bool
		Title, Message string
	}{ok, title, message})
}
