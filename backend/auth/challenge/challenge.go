// Package challenge reads WWW-Authenticate headers (RFC 9110 11.6.1): the
// schemes a server asks for and their auth-params. Digest answers the
// challenges; the HTTP checker reads a Bearer challenge's error and scope
// (RFC 6750 3) to say what a 403 refused.
package challenge

import (
	"strings"

	"golang.org/x/net/http/httpguts"
)

// Challenge is one parsed scheme with its auth-params, whose names are
// lower-cased.
type Challenge struct {
	Scheme string
	Params map[string]string
}

// Parse reads a WWW-Authenticate value (RFC 9110 11.6.1): one or
// more challenges, each a scheme followed by comma-separated auth-params
// whose values are tokens or quoted strings (which may hold commas and
// escaped quotes). After a comma, "name=value" continues the current
// challenge and anything else starts the next one. A token68 after a scheme
// (Bearer, Negotiate) is skipped.
func Parse(h string) []Challenge {
	var out []Challenge
	p := &lexer{s: h}
	for {
		p.skip(" \t,")
		if p.done() {
			return out
		}
		scheme := p.token()
		if scheme == "" {
			p.i++ // not a token: skip the byte and resynchronise
			continue
		}
		c := Challenge{Scheme: scheme, Params: map[string]string{}}
		p.skip(" \t")
		if !p.paramAhead() {
			p.token68()
		}
		for {
			p.skip(" \t")
			if p.paramAhead() {
				name := p.token()
				p.skip(" \t")
				p.eat('=')
				p.skip(" \t")
				var value string
				if p.peek() == '"' {
					value = p.quoted()
				} else {
					value = p.token()
				}
				c.Params[strings.ToLower(name)] = value
				continue
			}
			if p.peek() != ',' {
				break
			}
			mark := p.i
			p.skip(" \t,")
			if !p.paramAhead() {
				p.i = mark // the next challenge starts here
				break
			}
		}
		out = append(out, c)
	}
}

type lexer struct {
	s string
	i int
}

func (p *lexer) done() bool { return p.i >= len(p.s) }

func (p *lexer) peek() byte {
	if p.done() {
		return 0
	}
	return p.s[p.i]
}

func (p *lexer) eat(c byte) bool {
	if !p.done() && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *lexer) skip(set string) {
	for !p.done() && strings.IndexByte(set, p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *lexer) token() string {
	start := p.i
	for !p.done() && httpguts.IsTokenRune(rune(p.s[p.i])) {
		p.i++
	}
	return p.s[start:p.i]
}

func (p *lexer) token68() {
	for !p.done() && (httpguts.IsTokenRune(rune(p.s[p.i])) || p.s[p.i] == '/' || p.s[p.i] == '=') {
		p.i++
	}
}

// paramAhead reports whether an auth-param starts at the cursor: a token,
// optional spaces, "=", optional spaces, then a token or a quoted string.
// (A token68 such as "abc==" has "=" followed by "=" or nothing.)
func (p *lexer) paramAhead() bool {
	j := p.i
	for j < len(p.s) && httpguts.IsTokenRune(rune(p.s[j])) {
		j++
	}
	if j == p.i {
		return false
	}
	for j < len(p.s) && (p.s[j] == ' ' || p.s[j] == '\t') {
		j++
	}
	if j >= len(p.s) || p.s[j] != '=' {
		return false
	}
	j++
	for j < len(p.s) && (p.s[j] == ' ' || p.s[j] == '\t') {
		j++
	}
	return j < len(p.s) && (p.s[j] == '"' || httpguts.IsTokenRune(rune(p.s[j])))
}

func (p *lexer) quoted() string {
	p.i++ // the opening quote
	var b strings.Builder
	for !p.done() {
		c := p.s[p.i]
		p.i++
		switch c {
		case '\\':
			if !p.done() {
				b.WriteByte(p.s[p.i])
				p.i++
			}
		case '"':
			return b.String()
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
