using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reservation.Infrastructure.Ledger.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Booking",
                columns: table => new
                {
                    HoldId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SlotId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    ConfirmedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    FencingToken = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Booking", x => x.HoldId);
                });

            migrationBuilder.CreateTable(
                name: "SlotLedger",
                columns: table => new
                {
                    SlotId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Capacity = table.Column<int>(type: "INTEGER", nullable: false),
                    Booked = table.Column<int>(type: "INTEGER", nullable: false),
                    LastFencingToken = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SlotLedger", x => x.SlotId);
                    table.CheckConstraint("CK_SlotLedger_BookedWithinCapacity", "Booked >= 0 AND Booked <= Capacity");
                });

            migrationBuilder.CreateIndex(
                name: "IX_Booking_SlotId",
                table: "Booking",
                column: "SlotId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Booking");

            migrationBuilder.DropTable(
                name: "SlotLedger");
        }
    }
}
