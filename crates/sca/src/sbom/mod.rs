//! SBOM writers (CycloneDX 1.6 JSON, SPDX 2.3 JSON) and VEX readers. To be written.
