/**
 * The {@code sms} connector: the SMS channel of the hub's patient messages, through one of three providers
 * ({@link dev.ponte.connectors.sms.SmsProvider}): an SMSC over SMPP 3.4, Twilio or Zenvia.
 */
package dev.ponte.connectors.sms;
