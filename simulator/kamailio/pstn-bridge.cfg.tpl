#!KAMAILIO
# The PSTN bridge of the e2e (e2e/lib/pstn-bridge.mjs renders it into a temporary run directory): a registrar and
# proxy for a plain SIP/RTP caller (baresip over UDP, the telephone-network side) and the WebRTC phone (WebSocket).
# Every INVITE with SDP, initial or in-dialog (hold from either side), goes through rtpengine (userspace, ng
# control on {{RTPENGINE_NG}}), the direction chosen by the transport it arrived on: from UDP the WebRTC flags
# (ICE, RTP/SAVPF with DTLS-SRTP, rtcp-mux), from WebSocket the plain ones (no ICE, RTP/AVP, no DTLS).
# rtpengine_delete on BYE and CANCEL. No authentication: loopback only, test use only (the simulator's
# kamailio.cfg.tpl is the authenticated edge). Verified setup: ../../shared/reference/pstn-bridge (issue 11).
debug={{DEBUG}}
log_stderror=yes
fork=yes
children=2
tcp_children=2
auto_aliases=no
listen=udp:127.0.0.1:{{UDP_PORT}}
listen=tcp:127.0.0.1:{{WS_PORT}}
tcp_accept_no_cl=yes
tcp_connection_lifetime=3605
mpath="{{MODULE_PATH}}"

loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "xhttp.so"
loadmodule "websocket.so"
loadmodule "nathelper.so"
loadmodule "rtpengine.so"
modparam("rtpengine", "rtpengine_sock", "udp:127.0.0.1:{{RTPENGINE_NG}}")

modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 600)
modparam("nathelper|registrar", "received_avp", "$avp(RECEIVED)")
modparam("rr", "enable_full_lr", 1)
modparam("websocket", "keepalive_mechanism", 0)

request_route {
	if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
	if (!sanity_check("1511", "7")) { xlog("L_WARN", "malformed from $si:$sp\n"); exit; }
	xlog("L_INFO", "REQ $rm $ru from $si:$sp proto=$pr\n");

	if (nat_uac_test(64)) {           # request arrived over WebSocket
		force_rport();
		if (is_method("REGISTER")) {
			fix_nated_register();
		} else if (!add_contact_alias()) {
			sl_send_reply("400", "Bad Request"); exit;
		}
	}

	if (has_totag()) {                # in-dialog
		if (loose_route()) {
			if (is_method("BYE")) { rtpengine_delete(); }
			if (is_method("INVITE") && has_body("application/sdp")) { route(MEDIA); }
			if ($du == "") {
				if (!handle_ruri_alias()) { sl_send_reply("400", "Bad alias"); exit; }
			}
			route(RELAY);
		}
		if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
		sl_send_reply("404", "Not here");
		exit;
	}

	if (is_method("CANCEL")) { if (t_check_trans()) { rtpengine_delete(); t_relay(); } exit; }
	t_check_trans();
	remove_hf("Route");
	if (is_method("INVITE|SUBSCRIBE")) { record_route(); }

	if (is_method("REGISTER")) {
		if (!save("location")) { sl_reply_error(); }
		exit;
	}
	if ($rU == $null) { sl_send_reply("484", "Address Incomplete"); exit; }
	if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
	if (is_method("INVITE") && has_body("application/sdp")) { route(MEDIA); }
	route(RELAY);
}

route[MEDIA] {
	xlog("L_INFO", "SDP-IN $rm from $si:$sp proto=$pr cseq=$cs\n");
	if (proto == UDP) {
		# plain SIP/RTP -> WebRTC (the reference flags)
		rtpengine_offer("replace-origin replace-session-connection ICE=force RTP/SAVPF SDES-off rtcp-mux-offer rtcp-mux-require generate-mid");
		t_on_reply("TO_PLAIN");
	} else {
		# WebRTC -> plain SIP/RTP
		rtpengine_offer("replace-origin replace-session-connection ICE=remove RTP/AVP DTLS=off SDES-off rtcp-mux-demux");
		t_on_reply("TO_WEBRTC");
	}
}

route[RELAY] {
	if (!t_relay()) { sl_reply_error(); }
	exit;
}

onreply_route {
	if (nat_uac_test(64)) { add_contact_alias(); }
}

onreply_route[TO_PLAIN] {
	if (has_body("application/sdp")) {
		xlog("L_INFO", "SDP-REPLY $rs from $si:$sp cseq=$cs\n");
		rtpengine_answer("replace-origin replace-session-connection ICE=remove RTP/AVP rtcp-mux-demux");
	}
}

onreply_route[TO_WEBRTC] {
	if (has_body("application/sdp")) {
		xlog("L_INFO", "SDP-REPLY $rs from $si:$sp cseq=$cs\n");
		rtpengine_answer("replace-origin replace-session-connection ICE=force RTP/SAVPF rtcp-mux-require");
	}
}

event_route[xhttp:request] {
	set_reply_close();
	set_reply_no_connect();
	if ($hdr(Upgrade) =~ "websocket" && $hdr(Connection) =~ "Upgrade" && $rm =~ "GET") {
		if (ws_handle_handshake()) { exit; }
	}
	xhttp_reply("404", "Not Found", "", "");
}

event_route[websocket:closed] {
	xlog("L_INFO", "WS connection from $si:$sp closed\n");
}
