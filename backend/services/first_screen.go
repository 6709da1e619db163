package services

import "encoding/json"

// FirstScreenDTO is what the Connectors page needs to draw its first screen:
// the answers of ListConnectors, ConnectionsOverview and Info, as they would
// cross one by one.
type FirstScreenDTO struct {
	Connectors []ConnectorDTO         `json:"connectors"`
	Overview   ConnectionsOverviewDTO `json:"overview"`
	Info       AppInfoDTO             `json:"info"`
}

// FirstScreenJSON is FirstScreenDTO as JSON that is safe inside an HTML
// <script type="application/json"> (encoding/json writes <, > and & as
// \u003c, \u003e and \u0026, so the data cannot end the element). The app
// writes it into the index.html it serves, so the page draws its first screen
// without waiting for three round trips to Go (each 30–70 ms while the page
// starts). Like the overview, its size grows with the connectors, not the
// connections.
func (b *Backend) FirstScreenJSON() ([]byte, error) {
	connectors, err := b.Connectors.ListConnectors()
	if err != nil {
		return nil, err
	}
	overview, err := b.Connections.ConnectionsOverview()
	if err != nil {
		return nil, err
	}
	info, err := b.App.Info()
	if err != nil {
		return nil, err
	}
	return json.Marshal(FirstScreenDTO{Connectors: connectors, Overview: overview, Info: info})
}
