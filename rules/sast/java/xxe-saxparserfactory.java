package com.example.camt;

import java.io.InputStream;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.helpers.DefaultHandler;

public class Camt053Reader {
    public void read(InputStream in, DefaultHandler handler) throws Exception {
        SAXParserFactory spf = SAXParserFactory.newInstance();
        spf.setNamespaceAware(true);
        // ruleid: java.xxe-saxparserfactory
        SAXParser parser = spf.newSAXParser();
        parser.parse(in, handler);
    }

    public void readValidating(InputStream in, DefaultHandler handler) throws Exception {
        SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
        factory.setValidating(true);
        // ruleid: java.xxe-saxparserfactory
        factory.newSAXParser().parse(in, handler);
    }

    public void readExplicitlyUnsafe(InputStream in, DefaultHandler handler) throws Exception {
        SAXParserFactory factory = SAXParserFactory.newInstance();
        factory.setFeature("http://xml.org/sax/features/external-general-entities", true);
        // ruleid: java.xxe-saxparserfactory
        factory.newSAXParser().parse(in, handler);
    }

    public void readSafely(InputStream in, DefaultHandler handler) throws Exception {
        SAXParserFactory spf = SAXParserFactory.newInstance();
        spf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        // ok: java.xxe-saxparserfactory
        spf.newSAXParser().parse(in, handler);
    }

    public void readWithoutEntities(InputStream in, DefaultHandler handler) throws Exception {
        SAXParserFactory spf = SAXParserFactory.newInstance();
        try {
            spf.setFeature("http://xml.org/sax/features/external-general-entities", false);
            spf.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        // ok: java.xxe-saxparserfactory
        spf.newSAXParser().parse(in, handler);
    }

    public void readNs(InputStream in, DefaultHandler handler) throws Exception {
        SAXParserFactory spf = SAXParserFactory.newNSInstance();
        spf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        spf.setXIncludeAware(false);
        // ok: java.xxe-saxparserfactory
        SAXParser parser = spf.newSAXParser();
        parser.parse(in, handler);
    }
}
