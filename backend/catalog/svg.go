package catalog

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The front end draws logos inline, so a logo from an imported definition is
// markup from a stranger. Rather than sanitise it, a logo must consist only of
// plain shapes: no scripts, event handlers, links, styles or external
// references can survive an allow-list of elements and attributes.

func allowedSVGElement(name string) bool {
	switch name {
	case "svg", "title", "desc", "g", "path", "circle", "ellipse", "rect", "line", "polyline", "polygon":
		return true
	}
	return false
}

func allowedSVGAttr(name string) bool {
	switch name {
	case "xmlns", "version", "viewBox", "role", "width", "height", "aria-label", "aria-hidden",
		"d", "cx", "cy", "r", "rx", "ry", "x", "y", "x1", "y1", "x2", "y2", "points", "transform",
		"fill", "fill-rule", "fill-opacity", "clip-rule", "opacity",
		"stroke", "stroke-width", "stroke-linecap", "stroke-linejoin", "stroke-opacity":
		return true
	}
	return false
}

const svgNamespace = "http://www.w3.org/2000/svg"

// checkSVG returns "" for an acceptable logo, else what is wrong with it.
func checkSVG(s string) string {
	if !strings.HasPrefix(strings.TrimSpace(s), "<svg") {
		return "must be an inline SVG document starting with <svg"
	}
	dec := xml.NewDecoder(strings.NewReader(s))
	dec.Strict = true
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Sprintf("is not well-formed SVG: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if t.Name.Local != "svg" || roots > 1 {
					return "must hold exactly one <svg> element"
				}
			}
			depth++
			if t.Name.Space != "" && t.Name.Space != svgNamespace {
				return fmt.Sprintf("uses the foreign namespace %q; only plain SVG is allowed", t.Name.Space)
			}
			if !allowedSVGElement(t.Name.Local) {
				return fmt.Sprintf("contains <%s>; a logo may use only svg, g, title, desc, path, circle, ellipse, rect, line, polyline and polygon", t.Name.Local)
			}
			for _, a := range t.Attr {
				if a.Name.Space != "" && !(a.Name.Space == "xmlns" || a.Name.Local == "xmlns") {
					return fmt.Sprintf("<%s> has the attribute %s:%s; namespaced attributes (links) are not allowed", t.Name.Local, a.Name.Space, a.Name.Local)
				}
				if a.Name.Space == "xmlns" {
					return fmt.Sprintf("<%s> declares the namespace prefix %q; only plain SVG is allowed", t.Name.Local, a.Name.Local)
				}
				if !allowedSVGAttr(a.Name.Local) {
					return fmt.Sprintf("<%s> has the attribute %q, which a logo may not use (no scripts, events, links or styles)", t.Name.Local, a.Name.Local)
				}
				if strings.Contains(strings.ToLower(a.Value), "url(") {
					return fmt.Sprintf("<%s %s> refers to url(…); a logo may not reference anything", t.Name.Local, a.Name.Local)
				}
			}
		case xml.EndElement:
			depth--
		case xml.ProcInst:
			return "must not contain processing instructions such as <?xml …?>; start with <svg"
		case xml.Directive:
			return "must not contain <!DOCTYPE> or other declarations"
		case xml.CharData:
			if depth == 0 && strings.TrimSpace(string(t)) != "" {
				return "has text outside the <svg> element"
			}
		}
	}
	if roots == 0 {
		return "must hold an <svg> element"
	}
	return ""
}
