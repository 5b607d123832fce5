/* pjproject's config_site.h for Clearline's call controller (deploy/pjsua2/build.sh; docs/sip.md, "Calls per
 * controller"). Upstream's PJSUA_MAX_CALLS is 4: pjsua keeps its calls in an array of that size and libInit
 * silently lowers a larger maxCalls to it. A controller needs a slot per leg (the caller's, each provider's);
 * CLEARLINE_SIP_MAX_CALLS goes up to 1000. About 22 MB of pjsua's static memory at 1024. */
#define PJSUA_MAX_CALLS 1024
/* One prompt player per leg that plays at once; the conference bridge has a port per leg and per player. */
#define PJSUA_MAX_PLAYERS 2048
#define PJSUA_MAX_RECORDERS 32
#define PJSUA_MAX_CONF_PORTS 4096
/* Two sockets (RTP, RTCP) per leg; the build uses epoll (configure --enable-epoll). */
#define PJ_IOQUEUE_MAX_HANDLES 4096
#define PJSIP_MAX_TSX_COUNT (16 * 1024)
#define PJSIP_MAX_DIALOG_COUNT (16 * 1024)
