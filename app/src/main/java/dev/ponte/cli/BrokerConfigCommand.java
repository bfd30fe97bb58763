package dev.ponte.cli;

import dev.ponte.broker.BrokerAddressSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ponte broker-config}: what an external Artemis needs for this hub, as {@code broker.xml} elements, from the
 * same settings ({@code ponte.broker.max-delivery-attempts}, the redelivery delays) the embedded broker is made of.
 */
@Command(name = "broker-config", mixinStandardHelpOptions = true,
        description = {"Print the address settings and addresses an external Artemis broker needs for this hub, as "
                + "broker.xml elements (redelivery with backoff, ponte.dlq as dead-letter and expiry address, paging,"
                + " the events' multicast address with the sink-commands subscription).",
                "Add the first part inside <address-settings> and the second inside <addresses> of the broker's "
                        + "etc/broker.xml, then restart the broker."})
final class BrokerConfigCommand implements Runnable {

    @CommandLine.Mixin
    HubOptions hub = new HubOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(BrokerAddressSettings.brokerXml(hub.settings().brokerSettings()));
        spec.commandLine().getOut().flush();
    }
}
