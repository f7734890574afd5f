package com.example.swift;

import java.io.InputStream;
import javax.xml.stream.XMLEventReader;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamReader;

public class MxMessageReader {
    public XMLStreamReader open(InputStream in) throws Exception {
        XMLInputFactory xif = XMLInputFactory.newInstance();
        xif.setProperty(XMLInputFactory.IS_COALESCING, true);
        // ruleid: java.xxe-xmlinputfactory
        return xif.createXMLStreamReader(in);
    }

    public XMLEventReader events(InputStream in) throws Exception {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        // ruleid: java.xxe-xmlinputfactory
        return factory.createXMLEventReader(in, "UTF-8");
    }

    public XMLStreamReader openWithDtd(InputStream in) throws Exception {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, true);
        // ruleid: java.xxe-xmlinputfactory
        return factory.createXMLStreamReader(in);
    }

    public XMLStreamReader openSafely(InputStream in) throws Exception {
        XMLInputFactory xif = XMLInputFactory.newInstance();
        xif.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        // ok: java.xxe-xmlinputfactory
        return xif.createXMLStreamReader(in);
    }

    public XMLEventReader eventsSafely(InputStream in) throws Exception {
        XMLInputFactory xif = XMLInputFactory.newFactory();
        xif.setProperty("javax.xml.stream.isSupportingExternalEntities", Boolean.FALSE);
        // ok: java.xxe-xmlinputfactory
        return xif.createXMLEventReader(in);
    }

    public XMLStreamReader openWithoutExternalEntities(InputStream in) throws Exception {
        XMLInputFactory xif = XMLInputFactory.newInstance();
        xif.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // ok: java.xxe-xmlinputfactory
        return xif.createXMLStreamReader(in);
    }
}
