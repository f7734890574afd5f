package com.example.payments;

import java.io.IOException;
import java.io.InputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;

public class Pain001Parser {
    public Document parse(InputStream in) throws ParserConfigurationException, IOException, SAXException {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setNamespaceAware(true);
        // ruleid: java.xxe-documentbuilderfactory
        DocumentBuilder builder = dbf.newDocumentBuilder();
        return builder.parse(in);
    }

    public Document parseWithSecureProcessing(InputStream in) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setExpandEntityReferences(false);
        // ruleid: java.xxe-documentbuilderfactory
        return factory.newDocumentBuilder().parse(in);
    }

    public Document parseNs(InputStream in) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultNSInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        // ruleid: java.xxe-documentbuilderfactory
        return factory.newDocumentBuilder().parse(in);
    }

    public Document parseSafely(InputStream in) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        dbf.setXIncludeAware(false);
        // ok: java.xxe-documentbuilderfactory
        return dbf.newDocumentBuilder().parse(in);
    }

    public Document parseWithoutExternalAccess(InputStream in) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        dbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        // ok: java.xxe-documentbuilderfactory
        return dbf.newDocumentBuilder().parse(in);
    }

    public Document parseInTry(InputStream in) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        try {
            dbf.setFeature("http://xml.org/sax/features/external-general-entities", false);
            dbf.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        // ok: java.xxe-documentbuilderfactory
        return dbf.newDocumentBuilder().parse(in);
    }
}
