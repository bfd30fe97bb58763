/** Parsing XML from outside the hub safely (no DTDs, no entities, bounded size): {@link dev.ponte.xml.SafeXml}. */
package dev.ponte.xml;
