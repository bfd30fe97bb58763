package dev.ponte.connectors.sms;

import java.util.Map;
import java.util.Set;

/**
 * SMPP 3.4 command statuses (section 5.1.3): their names and what a failed {@code submit_sm_resp} means for the
 * message. Throttling, a full queue, system errors, unknown and vendor-specific codes may pass by themselves and are
 * retried; an invalid address, length, type of number or data coding will be refused again however often it is
 * sent, so it is permanent (the hub then tries the patient's next channel).
 */
final class SmppStatus {

    static final int ESME_RINVMSGLEN = 0x01;
    static final int ESME_RSYSERR = 0x08;
    static final int ESME_RINVSRCADR = 0x0A;
    static final int ESME_RINVDSTADR = 0x0B;
    static final int ESME_RBINDFAIL = 0x0D;
    static final int ESME_RINVPASWD = 0x0E;
    static final int ESME_RINVSYSID = 0x0F;
    static final int ESME_RMSGQFUL = 0x14;
    static final int ESME_RTHROTTLED = 0x58;
    static final int ESME_RX_T_APPN = 0x64;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0x00, "ESME_ROK (no error)"),
            Map.entry(0x01, "ESME_RINVMSGLEN (message length is invalid)"),
            Map.entry(0x02, "ESME_RINVCMDLEN (command length is invalid)"),
            Map.entry(0x03, "ESME_RINVCMDID (invalid command id)"),
            Map.entry(0x04, "ESME_RINVBNDSTS (incorrect bind status for the command)"),
            Map.entry(0x05, "ESME_RALYBND (already bound)"),
            Map.entry(0x06, "ESME_RINVPRTFLG (invalid priority flag)"),
            Map.entry(0x07, "ESME_RINVREGDLVFLG (invalid registered delivery flag)"),
            Map.entry(0x08, "ESME_RSYSERR (system error)"),
            Map.entry(0x0A, "ESME_RINVSRCADR (invalid source address)"),
            Map.entry(0x0B, "ESME_RINVDSTADR (invalid destination address)"),
            Map.entry(0x0C, "ESME_RINVMSGID (message id is invalid)"),
            Map.entry(0x0D, "ESME_RBINDFAIL (bind failed)"),
            Map.entry(0x0E, "ESME_RINVPASWD (invalid password)"),
            Map.entry(0x0F, "ESME_RINVSYSID (invalid system id)"),
            Map.entry(0x11, "ESME_RCANCELFAIL (cancel failed)"),
            Map.entry(0x13, "ESME_RREPLACEFAIL (replace failed)"),
            Map.entry(0x14, "ESME_RMSGQFUL (message queue full)"),
            Map.entry(0x15, "ESME_RINVSERTYP (invalid service type)"),
            Map.entry(0x33, "ESME_RINVNUMDESTS (invalid number of destinations)"),
            Map.entry(0x34, "ESME_RINVDLNAME (invalid distribution list name)"),
            Map.entry(0x40, "ESME_RINVDESTFLAG (invalid destination flag)"),
            Map.entry(0x42, "ESME_RINVSUBREP (invalid submit with replace request)"),
            Map.entry(0x43, "ESME_RINVESMCLASS (invalid esm_class)"),
            Map.entry(0x44, "ESME_RCNTSUBDL (cannot submit to distribution list)"),
            Map.entry(0x45, "ESME_RSUBMITFAIL (submit failed)"),
            Map.entry(0x48, "ESME_RINVSRCTON (invalid source address TON)"),
            Map.entry(0x49, "ESME_RINVSRCNPI (invalid source address NPI)"),
            Map.entry(0x50, "ESME_RINVDSTTON (invalid destination address TON)"),
            Map.entry(0x51, "ESME_RINVDSTNPI (invalid destination address NPI)"),
            Map.entry(0x53, "ESME_RINVSYSTYP (invalid system type)"),
            Map.entry(0x54, "ESME_RINVREPFLAG (invalid replace_if_present flag)"),
            Map.entry(0x55, "ESME_RINVNUMMSGS (invalid number of messages)"),
            Map.entry(0x58, "ESME_RTHROTTLED (throttling error: too many messages)"),
            Map.entry(0x61, "ESME_RINVSCHED (invalid scheduled delivery time)"),
            Map.entry(0x62, "ESME_RINVEXPIRY (invalid validity period)"),
            Map.entry(0x63, "ESME_RINVDFTMSGID (predefined message invalid or not found)"),
            Map.entry(0x64, "ESME_RX_T_APPN (receiver temporary application error)"),
            Map.entry(0x65, "ESME_RX_P_APPN (receiver permanent application error)"),
            Map.entry(0x66, "ESME_RX_R_APPN (receiver reject message error)"),
            Map.entry(0x67, "ESME_RQUERYFAIL (query_sm failed)"),
            Map.entry(0xC0, "ESME_RINVOPTPARSTREAM (error in the optional part of the PDU body)"),
            Map.entry(0xC1, "ESME_ROPTPARNOTALLWD (optional parameter not allowed)"),
            Map.entry(0xC2, "ESME_RINVPARLEN (invalid parameter length)"),
            Map.entry(0xC3, "ESME_RMISSINGOPTPARAM (expected optional parameter missing)"),
            Map.entry(0xC4, "ESME_RINVOPTPARAMVAL (invalid optional parameter value)"),
            Map.entry(0xFE, "ESME_RDELIVERYFAILURE (delivery failure)"),
            Map.entry(0xFF, "ESME_RUNKNOWNERR (unknown error)"));

    /** Statuses no retry of the same message can fix. */
    private static final Set<Integer> PERMANENT = Set.of(0x01, 0x06, 0x07, 0x0A, 0x0B, 0x15, 0x33, 0x40, 0x42,
            0x43, 0x45, 0x48, 0x49, 0x50, 0x51, 0x55, 0x61, 0x62, 0x63, 0x65, 0x66, 0xC0, 0xC1, 0xC2, 0xC3, 0xC4);

    private SmppStatus() {
    }

    /** {@code 0x0000000B ESME_RINVDSTADR (invalid destination address)}. */
    static String describe(int status) {
        String name = NAMES.get(status);
        return String.format("0x%08X %s", status, name != null ? name
                : status >= 0x400 && status <= 0x4FF ? "(SMSC vendor-specific error)" : "(reserved status)");
    }

    /** Whether a failed submit_sm with this status will fail again however often it is sent. */
    static boolean permanent(int status) {
        return PERMANENT.contains(status);
    }

    /** Whether a refused bind with this status means the credentials are wrong. */
    static boolean credentials(int status) {
        return status == ESME_RBINDFAIL || status == ESME_RINVPASWD || status == ESME_RINVSYSID;
    }
}
