//! The parameter family's codecs: the `ParameterValueStruct` array (the markup between a name
//! and its value as one string), the `ParameterInfoStruct` array (the markup after a name as
//! one string) and the typed `Value`.

use cwmp_core::rpc::{ParameterInfo, ParameterValue};
use cwmp_core::value::Value;

use crate::encode::BoolFormat;
use crate::encode::field::{Leaf, WriteField};
use crate::encode::xml::{Tag, Xml};
use crate::rpc::parameters::{Infos, Values};

impl WriteField<Vec<ParameterValue<'_>>> for Values {
    #[inline]
    fn write(x: &mut Xml<'_>, tag: Tag, list: &Vec<ParameterValue<'_>>) {
        x.array_open(tag.name, "cwmp", "ParameterValueStruct", list.len());
        for p in list {
            x.raw("<ParameterValueStruct><Name>");
            x.text(&p.name);
            x.name_end_and_value(&p.value);
            x.raw("</Value></ParameterValueStruct>");
        }
        x.raw(tag.close);
    }
}

impl WriteField<Vec<ParameterInfo<'_>>> for Infos {
    fn write(x: &mut Xml<'_>, tag: Tag, list: &Vec<ParameterInfo<'_>>) {
        x.array_open(tag.name, "cwmp", "ParameterInfoStruct", list.len());
        // The markup after a name is one string (the boolean in the configured form).
        let booleans = x.opts.booleans;
        let tail = |writable: bool| match (booleans, writable) {
            (BoolFormat::Words, true) => "</Name><Writable>true</Writable></ParameterInfoStruct>",
            (BoolFormat::Words, false) => "</Name><Writable>false</Writable></ParameterInfoStruct>",
            (BoolFormat::Digits, true) => "</Name><Writable>1</Writable></ParameterInfoStruct>",
            (BoolFormat::Digits, false) => "</Name><Writable>0</Writable></ParameterInfoStruct>",
        };
        for p in list {
            x.raw("<ParameterInfoStruct><Name>");
            x.text(&p.name);
            let t = tail(p.writable);
            x.raw(t);
        }
        x.raw(tag.close);
    }
}

/// `<Value xsi:type="xsd:…">text</Value>`, as [`Xml::name_end_and_value`] writes it.
impl Leaf for Value<'_> {
    fn leaf(&self, x: &mut Xml<'_>, tag: Tag) {
        debug_assert_eq!(tag.name, "Value");
        x.raw("<Value xsi:type=\"xsd:");
        x.attr_value(self.ty.xsd_name());
        x.raw("\">");
        x.value_text(self);
        x.raw(tag.close);
    }
}
