package services

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/secrets/keychain"
	"patchbay/backend/store"
)

// countingKeyring is the real keychain, counting every call, so a test can
// say that what the first screen asks for never touches it.
type countingKeyring struct {
	keychain.Keyring
	calls atomic.Int64
}

func (k *countingKeyring) Get(service, user string) (string, error) {
	k.calls.Add(1)
	return k.Keyring.Get(service, user)
}

func (k *countingKeyring) Set(service, user, password string) error {
	k.calls.Add(1)
	return k.Keyring.Set(service, user, password)
}

func (k *countingKeyring) Delete(service, user string) error {
	k.calls.Add(1)
	return k.Keyring.Delete(service, user)
}

// seedMany writes n connections (tenants from, from+1, …) straight into the
// store (the save path is tested elsewhere; this is volume), round robin
// over connectors.
func seedMany(t *testing.T, st *store.Store, from, n int, connectors ...string) []string {
	t.Helper()
	ctx := context.Background()
	ids := make([]string, n)
	for i := range n {
		c, err := st.CreateConnection(ctx, store.Connection{
			ID: store.NewID(), WorkspaceID: store.DefaultWorkspaceID, ConnectorID: connectors[i%len(connectors)],
			Name: fmt.Sprintf("Tenant %05d API", from+i), Environment: []string{"Production", "Sandbox"}[i%2],
			AuthType: "none", BaseURL: "https://api.example.com",
			Settings: map[string]string{"testPath": "/v1/health", "region": "eu-west-1", "note": fmt.Sprintf("tenant %d", from+i)},
		})
		require.NoError(t, err)
		ids[i] = c.ID
	}
	return ids
}

// The Connectors page's first screen comes from ConnectionsOverview, whose
// answer grows with the connectors, not the connections, and from pages of
// summaries that hold no settings; the full list (ListConnections) is never
// needed for it. Neither touches the keychain, so a hung keyring cannot hold
// the first paint; Info answers without it too.
func TestFirstScreenIsServedWithoutTheFullList(t *testing.T) {
	kr := &countingKeyring{Keyring: keychain.System()}
	// No start-up sweep: it may read the keychain in the background.
	e := newEnvWith(t, kr, func(o *Options) { o.SkipSweep = true })
	svc := e.b.Connections

	// 20 connections first, then 1,500: the overview and the first page
	// must not grow with them.
	seedMany(t, e.b.Core.Store, 0, 20, "http", "stripe", "github")
	// The first Keychain call answers with the probe the app started with;
	// counted from its end, whatever else the first screen asks is seen.
	require.True(t, e.b.App.Keychain().OK)
	before := kr.calls.Load()
	small, err := svc.ConnectionsOverview()
	require.NoError(t, err)
	smallPage, err := svc.ListConnectionSummaries("", 100)
	require.NoError(t, err)
	require.Len(t, smallPage.Items, 20)
	require.Empty(t, smallPage.Next)

	seedMany(t, e.b.Core.Store, 20, 1500, "http", "stripe", "github")
	big, err := svc.ConnectionsOverview()
	require.NoError(t, err)
	require.Equal(t, 1520, big.Total)
	require.Len(t, big.Connectors, 3)
	for _, c := range big.Connectors {
		require.NotEmpty(t, c.Shown.ID, "every connector has the connection its card shows")
		sum := 0
		for _, n := range c.ByStatus {
			sum += n
		}
		require.Equal(t, c.Total, sum)
	}
	require.InDelta(t, len(jsonOf(t, small)), len(jsonOf(t, big)), 200,
		"the overview of 1,520 connections is the size of the overview of 20")

	first, err := svc.ListConnectionSummaries("", 100)
	require.NoError(t, err)
	require.Len(t, first.Items, 100, "the first page holds what was asked, not the list")
	require.NotEmpty(t, first.Next)
	require.Less(t, len(jsonOf(t, first)), 100*450, "a summary is small: no settings")
	require.NotContains(t, jsonOf(t, first), "eu-west-1", "summaries carry no settings")

	// The pages still add up to the whole list, each connection once.
	seen := map[string]bool{}
	for cursor := ""; ; {
		page, err := svc.ListConnectionSummaries(cursor, 2000)
		require.NoError(t, err)
		for _, c := range page.Items {
			require.False(t, seen[c.ID], "%s twice", c.ID)
			seen[c.ID] = true
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	require.Len(t, seen, 1520)

	_, err = e.b.App.Info()
	require.NoError(t, err)
	require.Equal(t, before, kr.calls.Load(), "the overview, the pages and Info never touch the keychain")
	require.True(t, e.b.App.Keychain().OK)
	require.Greater(t, kr.calls.Load(), before, "a later Keychain call probes afresh")

	_, err = svc.ListConnectionSummaries("not a cursor", 10)
	require.Equal(t, "cursor", uiErr(t, err).Field)
	_, err = svc.ListConnectionSummaries("", 0)
	require.Equal(t, "limit", uiErr(t, err).Field)
}

// A summary is the list's part of a connection: what a card and a row show,
// the same values as the full DTO, the integrations that use it.
func TestSummariesMatchTheFullConnection(t *testing.T) {
	e := newEnv(t)
	ids := seedMany(t, e.b.Core.Store, 0, 2, "http")
	require.NoError(t, e.b.Core.Store.SetStatus(context.Background(), ids[1], store.StatusDisconnected,
		"The API rejected the credentials (401).", "", time.Date(2026, 2, 3, 4, 5, 6, 7, time.UTC)))
	_, err := e.b.Integrations.SaveIntegration(IntegrationDraftDTO{Name: "Sync",
		Source:      SideDraftDTO{ConnectorID: "http", ConnectionID: ids[0]},
		Destination: SideDraftDTO{ConnectorID: "http", ConnectionID: ids[1]}})
	require.NoError(t, err)

	full, err := e.b.Connections.ListConnections()
	require.NoError(t, err)
	page, err := e.b.Connections.ListConnectionSummaries("", 10)
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	for i, s := range page.Items {
		f := full[i]
		require.Equal(t, ConnectionSummaryDTO{
			ID: f.ID, ConnectorID: f.ConnectorID, Name: f.Name, Environment: f.Environment, AuthType: f.AuthType,
			BaseURL: f.BaseURL, Status: f.Status, Diagnosis: f.Diagnosis, Identity: f.Identity, CheckedAt: f.CheckedAt,
			AllowInsecure: f.AllowInsecure, OAuth: f.OAuth, UsedBy: f.UsedBy,
		}, s)
		require.Len(t, s.UsedBy, 1, "Used by comes with the summary")
	}
	overview, err := e.b.Connections.ConnectionsOverview()
	require.NoError(t, err)
	require.Equal(t, ids[1], overview.Connectors[0].Shown.ID, "the card shows the Disconnected one")
	require.Equal(t, "2026-02-03T04:05:06Z", overview.Connectors[0].Shown.CheckedAt)
	require.Equal(t, map[string]int{"disconnected": 1, "unverified": 1}, overview.Connectors[0].ByStatus)
	require.Len(t, overview.Connectors[0].Shown.UsedBy, 1)
}

// gatedKeyring is the real keychain whose writes wait for a gate, and which
// says when the first one starts.
type gatedKeyring struct {
	countingKeyring
	started chan struct{}
	gate    chan struct{}
	once    atomic.Bool
}

func (k *gatedKeyring) Set(service, user, password string) error {
	if k.once.CompareAndSwap(false, true) {
		close(k.started)
	}
	<-k.gate
	return k.countingKeyring.Set(service, user, password)
}

// The keychain is probed as the app starts, before the page asks, so its
// answer comes with the first screen; the first Keychain call takes that
// answer instead of probing again, and later calls probe afresh.
func TestKeychainIsProbedAsTheAppStarts(t *testing.T) {
	kr := &gatedKeyring{countingKeyring: countingKeyring{Keyring: keychain.System()},
		started: make(chan struct{}), gate: make(chan struct{})}
	e := newEnvWith(t, kr, func(o *Options) { o.SkipSweep = true })

	select {
	case <-kr.started:
	case <-time.After(30 * time.Second):
		t.Fatal("no keychain probe started with the app")
	}
	close(kr.gate)
	require.True(t, e.b.App.Keychain().OK)
	one := kr.calls.Load()
	require.Positive(t, one)

	require.True(t, e.b.App.Keychain().OK)
	require.Equal(t, 2*one, kr.calls.Load(), "the second call made a probe of its own, the first took the start-up one")
}

// The first screen written into the served page is what the three calls it
// stands for answer, in their JSON, and nothing in it can end its element.
func TestFirstScreenJSONIsTheThreeAnswers(t *testing.T) {
	e := newEnvWith(t, nil, func(o *Options) { o.SkipSweep = true })
	seedMany(t, e.b.Core.Store, 0, 30, "http", "stripe")
	_, err := e.b.Core.Store.CreateConnection(context.Background(), store.Connection{
		ID: store.NewID(), WorkspaceID: store.DefaultWorkspaceID, ConnectorID: "http",
		Name: "</script><script>alert(1)</script> & <b>", AuthType: "none", BaseURL: "https://api.example.com",
	})
	require.NoError(t, err)

	data, err := e.b.FirstScreenJSON()
	require.NoError(t, err)
	require.NotContains(t, string(data), "</", "nothing can close the <script> element")
	require.NotContains(t, string(data), "<script")

	var got struct {
		Connectors, Overview, Info json.RawMessage
	}
	require.NoError(t, json.Unmarshal(data, &got))
	connectors, err := e.b.Connectors.ListConnectors()
	require.NoError(t, err)
	overview, err := e.b.Connections.ConnectionsOverview()
	require.NoError(t, err)
	info, err := e.b.App.Info()
	require.NoError(t, err)
	require.JSONEq(t, jsonOf(t, connectors), string(got.Connectors))
	require.JSONEq(t, jsonOf(t, overview), string(got.Overview))
	require.JSONEq(t, jsonOf(t, info), string(got.Info))
	require.Equal(t, 31, overview.Total)
}
