<?php

function parse_payment(string $xml)
{
    $doc = new DOMDocument();
    // ruleid: php.xxe-libxml
    $doc->loadXML($xml, LIBXML_NOENT | LIBXML_NONET);
    // ruleid: php.xxe-libxml
    $sx = simplexml_load_string($xml, 'SimpleXMLElement', LIBXML_DTDLOAD);
    // ruleid: php.xxe-libxml
    libxml_disable_entity_loader(false);
    // ok: php.xxe-libxml
    $safe = new DOMDocument();
    // ok: php.xxe-libxml
    $safe->loadXML($xml, LIBXML_NONET);
    // ok: php.xxe-libxml
    $plain = simplexml_load_string($xml);
    return [$doc, $sx, $safe, $plain];
}

function stream_rows(string $path)
{
    $reader = new XMLReader();
    $reader->open($path);
    // ruleid: php.xxe-libxml
    $reader->setParserProperty(XMLReader::SUBST_ENTITIES, true);
    // ok: php.xxe-libxml
    $reader->setParserProperty(XMLReader::VALIDATE, false);
    return $reader;
}
