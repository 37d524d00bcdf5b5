<?xml version="1.0" encoding="UTF-8"?>
<!-- Additions to yelp-build's HTML for F1 without Yelp (help/meson.build). -->
<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0">
  <!-- A setup code such as Q9W1-DFWF-077Y, a command or a key name is
       never broken at its hyphens: it is read and typed as one piece. -->
  <xsl:template name="html.css.custom">
span.input, span.cmd, span.key, span.file, span.var { white-space: nowrap; }
  </xsl:template>
</xsl:stylesheet>
