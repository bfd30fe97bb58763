package dev.ponte.campaigns;

import dev.ponte.model.Channel;
import dev.ponte.model.ProcedureKind;
import dev.ponte.model.Sex;

import java.util.List;
import java.util.Set;

/**
 * A retention campaign as loaded from {@code <campaigns>/<id>.yaml} (see {@link CampaignLoader} for the file).
 *
 * @param id          the campaign's name, the file's name without {@code .yaml}
 * @param version     raised by the admin on every change; recorded with each run
 * @param trigger     which patients the day is for
 * @param audience    who among them is left out
 * @param template    the message template (purpose {@code recall}, so MARKETING consent is needed)
 * @param channels    the channel order of the campaign's messages
 * @param window      when the messages may be due
 * @param cadenceDays a patient messaged by this campaign is left out of it for this many days
 * @param bookedWithinDays  an appointment created within this many days after the message counts as booked
 * @param repliedWithinDays a reply received within this many days after the message counts as replied
 * @param file        where it was loaded from
 */
public record Campaign(String id, int version, String description, Trigger trigger, Audience audience,
                       String template, List<Channel> channels, SendWindow window, int cadenceDays,
                       int bookedWithinDays, int repliedWithinDays, String file) {

    public Campaign {
        channels = List.copyOf(channels);
    }

    /** Which patients a day is for. */
    public sealed interface Trigger permits DaysAfterProcedure, PackageEnded, Birthday, NoVisit {
        /** The name used in the file. */
        String key();
    }

    /**
     * {@code days} after the patient's last ATTENDED appointment of a procedure code, or of any procedure of a kind.
     *
     * @param catchUpDays a patient whose day fell within this many days before the run's day is still taken (a day
     *                    the campaign did not run); the campaign's cadence keeps anyone from getting it twice
     */
    public record DaysAfterProcedure(String procedure, ProcedureKind kind, int days, int catchUpDays)
            implements Trigger {
        @Override
        public String key() {
            return "days-after-procedure";
        }
    }

    /** {@code days} after the last session of a package enrollment with no session left. */
    public record PackageEnded(int days, int catchUpDays) implements Trigger {
        @Override
        public String key() {
            return "package-ended";
        }
    }

    /** The patient's birthday (29 February: 28 February in other years). */
    public record Birthday() implements Trigger {
        @Override
        public String key() {
            return "birthday";
        }
    }

    /** {@code days} after the patient's last ATTENDED appointment of any procedure. */
    public record NoVisit(int days, int catchUpDays) implements Trigger {
        @Override
        public String key() {
            return "no-visit";
        }
    }

    /**
     * Who is left out.
     *
     * @param minAge         at least this old on the run's day ({@code null}: no limit); no birth date: left out
     * @param maxAge         at most this old
     * @param sexes          only these ({@code Patient.sex}); empty: any
     * @param units          only patients of these units ({@code Patient.unitId}); empty: any
     * @param proceduresEver only patients with an ATTENDED appointment of one of these procedure codes; empty: any
     * @param excludeWithFutureAppointment leave out patients with a SCHEDULED or CONFIRMED appointment ahead
     */
    public record Audience(Integer minAge, Integer maxAge, Set<Sex> sexes, Set<String> units,
                           Set<String> proceduresEver, boolean excludeWithFutureAppointment) {
        public Audience {
            sexes = Set.copyOf(sexes);
            units = Set.copyOf(units);
            proceduresEver = Set.copyOf(proceduresEver);
        }

        /** Nobody left out but those with an appointment ahead. */
        public static Audience everyone() {
            return new Audience(null, null, Set.of(), Set.of(), Set.of(), true);
        }
    }
}
