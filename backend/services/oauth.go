package services

import (
	"patchbay/backend/auth/oauth2"
	"patchbay/backend/connections"
)

// OAuthProgressEvent is one stage of a browser authorization, sent as
// EventOAuthProgress so the UI can show "Waiting for the browser… [Copy
// link] [Cancel]". AuthorizeURL is the link to copy (it holds no secret:
// the PKCE challenge and the state are single-use).
type OAuthProgressEvent struct {
	FlowID       string `json:"flowId"`
	Stage        string `json:"stage"` // listening | browser_opened | callback | exchanging | done | failed
	AuthorizeURL string `json:"authorizeUrl"`
	RedirectURI  string `json:"redirectUri"`
	Message      string `json:"message"`
}

// AuthorizationDTO is the outcome of a browser authorization. Saved is false
// only when no token was obtained (the code exchange failed: Verification
// says why); otherwise the connection is saved with its tokens and the
// status its test request earned.
type AuthorizationDTO struct {
	Saved        bool             `json:"saved"`
	Connection   *ConnectionDTO   `json:"connection"`
	Verification *VerificationDTO `json:"verification"`
}

// StartAuthorization connects a draft (new, or an existing connection being
// edited) with OAuth 2.0 authorization code + PKCE in the system browser.
// It blocks until the browser comes back, the flow times out (5 minutes) or
// CancelAuthorization(flowID) is called, emitting EventOAuthProgress with
// flowID along the way and each recorded exchange as EventExchange with
// runId = flowID. On success the connection is saved with its tokens (in the
// keychain) and verified with the new access token.
func (s *ConnectionService) StartAuthorization(draft ConnectionDraft, flowID string) (AuthorizationDTO, error) {
	r, err := s.manager.AuthorizeDraft(s.ctx, s.workspace(), draft, flowID, s.progressTo(flowID), s.streamTo(flowID))
	return s.authorizationDTO(r, err)
}

// ReauthorizeConnection signs a saved connection in again: its id,
// settings, environment and everything referring to it stay; only its
// tokens change. Events as for StartAuthorization.
func (s *ConnectionService) ReauthorizeConnection(id, flowID string) (AuthorizationDTO, error) {
	r, err := s.manager.Reauthorize(s.ctx, id, flowID, s.progressTo(flowID), s.streamTo(flowID))
	return s.authorizationDTO(r, err)
}

// CancelAuthorization stops a running authorization: its listener closes
// and nothing is saved. Unknown or finished flows are ignored.
func (s *ConnectionService) CancelAuthorization(flowID string) {
	s.manager.CancelAuthorization(flowID)
}

func (s *ConnectionService) authorizationDTO(r connections.AuthorizationResult, err error) (AuthorizationDTO, error) {
	out := AuthorizationDTO{Saved: r.Saved}
	if r.Verification != nil {
		v := verificationDTO(*r.Verification)
		out.Verification = &v
	}
	if err != nil {
		return out, toUI(err)
	}
	if r.Saved {
		c := connectionDTO(r.Connection)
		out.Connection = &c
		s.changed()
	}
	return out, nil
}

func (s *ConnectionService) progressTo(flowID string) connections.ProgressFunc {
	return func(p oauth2.Progress) {
		s.emit(s.ctx, EventOAuthProgress, OAuthProgressEvent{
			FlowID: flowID, Stage: p.Stage, AuthorizeURL: p.AuthorizeURL, RedirectURI: p.RedirectURI, Message: p.Message,
		})
	}
}
