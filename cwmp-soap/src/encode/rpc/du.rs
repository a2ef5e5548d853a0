//! The deployment-unit codecs, in either [`DuShape`].

use cwmp_core::rpc::{AutonOpResult, DuFault, OpResult, Operation};

use crate::encode::DuShape;
use crate::encode::field::{WriteField, WriteStruct};
use crate::encode::xml::{Tag, Xml, tag};
use crate::rpc::du::{DuFaults, Operations, Results};

fn operation_fields(x: &mut Xml<'_>, op: &Operation<'_>) {
    match op {
        Operation::Install(o) => o.write_fields(x),
        Operation::Update(o) => o.write_fields(x),
        Operation::Uninstall(o) => o.write_fields(x),
    }
}

impl WriteField<Vec<Operation<'_>>> for Operations {
    fn write(x: &mut Xml<'_>, tag: Tag, ops: &Vec<Operation<'_>>) {
        match x.opts.du_shape {
            DuShape::Xsd => {
                for op in ops {
                    x.raw("<Operations xsi:type=\"cwmp:");
                    x.raw(op.struct_name());
                    x.raw("\">");
                    operation_fields(x, op);
                    x.raw(tag.close);
                }
            }
            DuShape::Wrapper => {
                x.raw(tag.open);
                for op in ops {
                    x.open(op.struct_name());
                    operation_fields(x, op);
                    x.close(op.struct_name());
                }
                x.raw(tag.close);
            }
        }
    }
}

impl WriteField<DuFault<'_>> for DuFaults {
    fn write(x: &mut Xml<'_>, tag: Tag, f: &DuFault<'_>) {
        x.raw(tag.open);
        f.write_fields(x);
        x.raw(tag.close);
    }
}

/// Writes the Results in the configured shape; `fields` writes the children of one result.
fn results<T>(
    x: &mut Xml<'_>,
    tag: Tag,
    member: &str,
    items: &[T],
    fields: impl Fn(&mut Xml<'_>, &T),
) {
    match x.opts.du_shape {
        DuShape::Xsd => {
            for item in items {
                x.raw(tag.open);
                fields(x, item);
                x.raw(tag.close);
            }
        }
        DuShape::Wrapper => {
            x.array_open(tag.name, "cwmp", member, items.len());
            for item in items {
                x.open(member);
                fields(x, item);
                x.close(member);
            }
            x.raw(tag.close);
        }
    }
}

impl WriteField<Vec<OpResult<'_>>> for Results {
    fn write(x: &mut Xml<'_>, tag: Tag, v: &Vec<OpResult<'_>>) {
        results(x, tag, "OpResultStruct", v, |x, r| r.write_fields(x));
    }
}

impl WriteField<Vec<AutonOpResult<'_>>> for Results {
    fn write(x: &mut Xml<'_>, tag: Tag, v: &Vec<AutonOpResult<'_>>) {
        results(x, tag, "AutonOpResultStruct", v, |x, r| {
            r.result.write_fields(x);
            x.leaf(tag!("OperationPerformed"), &r.operation_performed);
        });
    }
}
